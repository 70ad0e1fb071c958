// The ClearML side of the app: settings resolved the ClearML way with app overrides on top, the
// connection test, corrections uploads (one at a time, in the background, with progress events)
// and the registry's models. Used by the window (through the contract) and by `eno upload` and
// `eno models`.
import { basename, extname, join } from 'node:path';
import type {
  ClearmlSettings,
  ConnectionCheck,
  EventName,
  EventPayloads,
  ParsedArg,
  RegistryModelRow,
  UploadPreview,
  UploadRecord,
  UploadState,
} from '../../src-preload/contract';
import { ClearmlClient, testConnection } from '../clearml/client';
import { resolveClearmlConfig, type ResolvedClearmlConfig } from '../clearml/config';
import { uploadCorrections, type UploadProgress } from '../clearml/datasets';
import { UploadLedger } from '../clearml/ledger';
import { listPublishedModels, pullModel, type InstalledModel, type RegistryModel } from '../clearml/models';
import type { Library } from '../library/library';
import { AppError } from './app-error';
import { takeLock } from './process-lock';
import { loadSettings, saveSettings, type AppSettings } from './app-settings';
import type { SecretStore } from './secret-store';

export interface ClearmlServiceOptions {
  readonly dataDir: string;
  readonly library: Library;
  readonly secrets: SecretStore;
  readonly appVersion: string;
  readonly emit: <E extends EventName>(event: E, payload: EventPayloads[E]) => void;
  readonly log: (message: string) => void;
  /** Where pulled models are installed. */
  readonly modelsDir: string;
  /** Environment and home folder the ClearML configuration is read from (tests point them elsewhere). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly homeDir?: string;
}

const IDLE: UploadState = { running: false, phase: 'idle', doneBytes: 0, totalBytes: 0, last: null };

export class ClearmlService {
  private readonly ledger: UploadLedger;
  private state: UploadState = IDLE;
  private abort: AbortController | null = null;
  /** The web server of the last resolved configuration, for checking links the window opens. */
  private webOrigin: string | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly options: ClearmlServiceOptions) {
    // The upload ledger works on the library's own connection: "which corrections went into which
    // version" lives in the library's schema, and the pending query reads it there.
    this.ledger = new UploadLedger(options.library.connection());
  }

  private settings(): AppSettings {
    return loadSettings(this.options.dataDir, this.options.log);
  }

  /** The resolved configuration; throws a user-facing error when the files cannot be read. */
  async config(): Promise<ResolvedClearmlConfig> {
    const s = this.settings().clearml;
    const result = await resolveClearmlConfig({
      env: this.options.env ?? process.env,
      homeDir: this.options.homeDir,
      overrides: {
        apiServer: s.apiServer,
        webServer: s.webServer,
        filesServer: s.filesServer,
        accessKey: s.accessKey,
        secretKey: this.options.secrets.get() ?? undefined,
      },
    });
    if (!result.ok) throw new AppError('invalid-argument', result.error.message);
    const web = result.config.webServer.value;
    try {
      this.webOrigin = web ? new URL(web).origin : null;
    } catch {
      this.webOrigin = null;
    }
    return result.config;
  }

  /** True for links into the configured ClearML web UI (the only external pages the app opens). */
  isWebUiLink(url: string): boolean {
    try {
      const u = new URL(url);
      return this.webOrigin !== null && (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === this.webOrigin;
    } catch {
      return false;
    }
  }

  /** The settings view for the Settings panel. */
  async view(): Promise<ClearmlSettings> {
    const c = await this.config();
    const s = this.settings().clearml;
    const sourced = (v: { value: string | null; source: string }) => ({ value: v.value, source: v.source });
    return {
      apiServer: sourced(c.apiServer),
      webServer: sourced(c.webServer),
      filesServer: sourced(c.filesServer),
      accessKey: sourced(c.accessKey),
      secretKey: { set: c.secretKey.value !== null, source: c.secretKey.source },
      secretPersistent: this.options.secrets.persistent,
      project: s.project,
      datasetName: s.datasetName,
      includeExcerpts: s.includeExcerpts,
      configFiles: c.files,
      warnings: c.warnings,
      configured: c.configured,
    };
  }

  /** Applies overrides from the Settings panel; null removes one, undefined leaves it. */
  async save(patch: ParsedArg<'saveClearmlSettings'>): Promise<ClearmlSettings> {
    const settings = this.settings();
    const next = { ...settings.clearml };
    for (const key of ['apiServer', 'webServer', 'filesServer', 'accessKey'] as const) {
      const value = patch[key];
      if (value === null || value === '') delete next[key];
      else if (value !== undefined) next[key] = value;
    }
    if (patch.project !== undefined) next.project = patch.project;
    if (patch.datasetName !== undefined) next.datasetName = patch.datasetName;
    if (patch.includeExcerpts !== undefined) next.includeExcerpts = patch.includeExcerpts;
    saveSettings(this.options.dataDir, { ...settings, clearml: next });
    if (patch.secretKey !== undefined) this.options.secrets.set(patch.secretKey || null);
    return this.view();
  }

  private async client(): Promise<{ client: ClearmlClient; config: ResolvedClearmlConfig }> {
    const config = await this.config();
    if (!config.configured) {
      throw new AppError('invalid-argument', 'ClearML is not configured: set the access and secret keys (Settings, ~/clearml.conf or CLEARML_API_ACCESS_KEY/CLEARML_API_SECRET_KEY)');
    }
    return { client: ClearmlClient.fromConfig(config), config };
  }

  /** Logs in and reports what failed: DNS, refused, TLS, credentials, or not a ClearML server. */
  async test(): Promise<ConnectionCheck> {
    let client: ClearmlClient;
    try {
      ({ client } = await this.client());
    } catch (error) {
      return { ok: false, code: 'not-configured', message: (error as Error).message };
    }
    const result = await testConnection(client);
    if (result.ok) return { ok: true, code: 'ok', message: `Connected to ${result.value.apiServer}` };
    return { ok: false, code: result.error.code, message: result.error.message };
  }

  /** What the next upload would send. */
  preview(): UploadPreview {
    const pending = this.pending();
    const known = new Set(this.options.library.vocabulary().model.map((t) => t.tag));
    const newTags = new Set<string>();
    for (const c of pending) for (const t of c.tagsAdded) if (!known.has(t)) newTags.add(t);
    return {
      pending: pending.length,
      tracks: pending.slice(0, 200).map((c) => ({
        title: c.title ?? (c.audioPath ? basename(c.audioPath, extname(c.audioPath)) : c.trackHash.slice(0, 12)),
        artist: c.artist,
        added: c.tagsAdded,
        removed: c.tagsRemoved,
        reviewed: c.reviewedAt !== null,
      })),
      newTags: [...newTags].sort(),
    };
  }

  private pending() {
    return this.options.library.pendingCorrections();
  }

  /** The current upload's progress and the last result. */
  uploadState(): UploadState {
    return this.state;
  }

  private setState(next: UploadState): void {
    this.state = next;
    this.options.emit('upload', next);
  }

  /**
   * Starts an upload in the background, or returns the one running. One upload at a time per data
   * folder: a second click, a second window or `eno upload` next to the app gets "in progress".
   */
  async startUpload(): Promise<UploadState> {
    if (this.running) return this.state;
    const lock = takeLock(join(this.options.dataDir, 'upload.lock'));
    if (!lock.ok) {
      throw new AppError('conflict', `another upload of this library is in progress${lock.holder ? ` (process ${lock.holder})` : ''}; try again when it has finished`);
    }
    const controller = new AbortController();
    this.abort = controller;
    this.setState({ ...IDLE, running: true, phase: 'preparing', last: this.state.last });
    this.running = (async () => {
      try {
        const { client, config } = await this.client();
        await this.runUpload(client, config, controller.signal);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (!(error instanceof AppError)) this.options.log(`upload failed unexpectedly: ${error instanceof Error ? (error.stack ?? message) : message}`);
        this.setState({ running: false, phase: 'idle', doneBytes: 0, totalBytes: 0, last: { ok: false, message, version: null, webUrl: null, at: new Date().toISOString() } });
      } finally {
        lock.release();
        this.abort = null;
        this.running = null;
      }
    })();
    return this.state;
  }

  /** Stops the running upload; its draft is resumed (or archived) by the next one. */
  cancelUpload(): UploadState {
    this.abort?.abort();
    return this.state;
  }

  /** Resolves when the running upload (if any) has finished. */
  async settled(): Promise<UploadState> {
    await this.running;
    return this.state;
  }

  private async runUpload(client: ClearmlClient, config: ResolvedClearmlConfig, signal: AbortSignal): Promise<void> {
    const s = this.settings().clearml;
    const onProgress = (p: UploadProgress): void => {
      const bytes = p.phase === 'uploading' ? { doneBytes: p.doneBytes, totalBytes: p.totalBytes } : { doneBytes: this.state.doneBytes, totalBytes: this.state.totalBytes };
      this.setState({ ...this.state, running: true, phase: p.phase, ...bytes });
    };
    const at = new Date().toISOString();
    const result = await uploadCorrections(client, () => this.pending(), {
      ledger: this.ledger,
      appVersion: this.options.appVersion,
      workDir: join(this.options.dataDir, 'upload-work'),
      project: s.project,
      datasetName: s.datasetName,
      includeExcerpts: s.includeExcerpts,
      signal,
      onProgress,
    });
    let last: NonNullable<UploadState['last']>;
    if (!result.ok && signal.aborted) {
      last = { ok: false, message: 'Upload cancelled; the next upload picks it up where it stopped', version: null, webUrl: null, at };
    } else if (!result.ok) {
      last = { ok: false, message: result.error.message, version: null, webUrl: null, at };
      this.options.log(`upload failed: ${result.error.message}`);
    } else if (result.value.status === 'nothing-to-upload') {
      last = { ok: true, message: 'Nothing new to upload', version: null, webUrl: null, at };
    } else {
      const v = result.value;
      const webUrl = this.webUrl(config, v.datasetId);
      last = { ok: true, message: `Uploaded ${v.keys.length} correction(s) as ${s.project}/${s.datasetName} ${v.version}`, version: v.version, webUrl, at };
      this.options.log(`${last.message} (${v.datasetId})`);
    }
    this.setState({ running: false, phase: 'idle', doneBytes: 0, totalBytes: 0, last });
  }

  /** The version's dataset page, in the form the official SDK logs for it (project left to the server). */
  private webUrl(config: ResolvedClearmlConfig, taskId: string): string | null {
    return datasetPageUrl(config.webServer.value, taskId);
  }

  /** Versions this installation uploaded, newest first. */
  async history(): Promise<UploadRecord[]> {
    let config: ResolvedClearmlConfig | null = null;
    try {
      config = await this.config();
    } catch {
      config = null;
    }
    return this.ledger.history().map((h) => ({
      datasetId: h.datasetId,
      version: h.version,
      uploadedAt: h.uploadedAt,
      corrections: h.corrections,
      webUrl: config ? this.webUrl(config, h.datasetId) : null,
    }));
  }

  /** Published eno models of the registry, newest first. */
  async registryModels(installed: (id: string, version: string) => boolean): Promise<RegistryModelRow[]> {
    const { client } = await this.client();
    const result = await listPublishedModels(client, { limit: 50 });
    if (!result.ok) throw new AppError('unavailable', result.error.message);
    return result.value.map((m: RegistryModel) => ({
      id: m.id,
      name: m.name,
      created: m.created,
      version: m.manifest?.version ?? null,
      tags: m.tags,
      problem: m.problem,
      installed: m.manifest ? installed(m.manifest.id, m.manifest.version) : false,
      comment: m.comment,
    }));
  }

  /** Downloads a registry model into the models cache, with progress events. */
  async pull(modelId: string): Promise<InstalledModel> {
    const { client } = await this.client();
    const progress = (doneBytes: number, totalBytes: number, done: boolean, error: string | null): void =>
      this.options.emit('modelTransfer', { modelId, doneBytes, totalBytes, done, error });
    const result = await pullModel(client, modelId, {
      cacheDir: this.options.modelsDir,
      onProgress: (p) => progress(p.doneBytes, p.totalBytes ?? 0, false, null),
    });
    if (!result.ok) {
      progress(0, 0, true, result.error.message);
      throw new AppError('unavailable', result.error.message);
    }
    progress(1, 1, true, null);
    return result.value;
  }

  /** Cancels a running upload (it resumes next time) and waits for it to stop; the library closes the ledger's connection. */
  async close(): Promise<void> {
    this.abort?.abort();
    await this.running;
  }
}

/** The web UI's page of a dataset version (the SDK logs this form, with `*` for an unnamed project). */
export function datasetPageUrl(webServer: string | null | undefined, datasetId: string): string | null {
  return webServer ? `${webServer.replace(/\/+$/, '')}/datasets/simple/*/experiments/${encodeURIComponent(datasetId)}` : null;
}
