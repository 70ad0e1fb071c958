// The running core shared by the desktop app and browser mode: the tagging engine, the library
// and its queue, ClearML, the contract handlers over them, and the event fan-out.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo, EventName, EventPayloads, LocalModelRow, ParsedArg } from '../../src-preload/contract';
import { TaggingEngine } from '../inference/engine';
import type { ExecutionProviderChoice } from '../inference/worker-protocol';
import { FileTagService, type FileTagRequestName } from '../file-tags/file-tag-service';
import { Library } from '../library/library';
import { fileTagHandlers } from './file-tag-handlers';
import { AppError } from './app-error';
import { loadSettings, saveSettings } from './app-settings';
import { ClearmlService } from './clearml-service';
import type { CoreHost, EventListener } from './core-host';
import type { Handlers } from './dispatch';
import type { Log } from './logger';
import { DEFAULT_MODEL_KEY, listLocalModels, modelDirFor, setActiveModel } from './model-catalog';
import { describeModelSet, hasAudioset, modelInfo, modelSet, modelSetInfo } from './model-set';
import type { SecretStore } from './secret-store';
import { secretStore } from './secret-store';

export interface AppCoreOptions {
  readonly dataDir: string;
  readonly transport: AppInfo['transport'];
  readonly appVersion: string;
  /** A model folder to use instead of the active one (eno serve --model). */
  readonly modelDir?: string;
  readonly ep?: ExecutionProviderChoice;
  readonly log: Log;
  /** Where a typed-in ClearML secret is kept; default: memory only. */
  readonly secrets?: SecretStore;
  /** Environment and home folder the ClearML configuration is read from (default: this process's). */
  readonly clearmlEnv?: Readonly<Record<string, string | undefined>>;
  readonly clearmlHome?: string;
}

export class AppCore implements CoreHost {
  readonly handlers: Handlers;
  readonly importDir: string;
  readonly clearml: ClearmlService;
  readonly fileTags: FileTagService;
  private readonly listeners = new Set<EventListener>();
  private switching: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: AppCoreOptions,
    private engine: TaggingEngine,
    private activeKey: string,
    readonly library: Library,
  ) {
    this.importDir = join(options.dataDir, 'imported');
    this.clearml = new ClearmlService({
      dataDir: options.dataDir,
      library,
      secrets: options.secrets ?? secretStore(options.dataDir, null),
      appVersion: options.appVersion,
      emit: (event, payload) => this.emit(event, payload),
      log: options.log,
      modelsDir: join(options.dataDir, 'models'),
      env: options.clearmlEnv,
      homeDir: options.clearmlHome,
    });
    this.fileTags = FileTagService.open({ dataDir: options.dataDir, emit: (event, payload) => this.emit(event, payload) });
    this.handlers = { ...this.makeHandlers(), ...fileTagHandlers(library, this.fileTags) };
  }

  /** Starts the engine on the active model and opens the library (its queue resumes unfinished work). */
  static async open(options: AppCoreOptions): Promise<AppCore> {
    mkdirSync(options.dataDir, { recursive: true });
    const settings = loadSettings(options.dataDir, options.log);
    let key = options.modelDir ? 'custom' : (settings.activeModel ?? DEFAULT_MODEL_KEY);
    let modelDir = options.modelDir ?? modelDirFor(options.dataDir, key);
    if (!modelDir) {
      options.log(`the active model "${key}" is missing; using the bundled default`);
      key = DEFAULT_MODEL_KEY;
      modelDir = modelDirFor(options.dataDir, key);
    }
    if (!modelDir) throw new Error('the default model is not installed');
    const engine = await TaggingEngine.open({ models: modelSet(modelDir, options.modelDir === undefined && settings.audiosetModel), ep: options.ep ?? 'auto', log: options.log });
    let core: AppCore | undefined;
    try {
      const library = await Library.open({ dataDir: options.dataDir, engine, log: options.log, onEvent: (event, payload) => core?.emit(event, payload) });
      core = new AppCore(options, engine, key, library);
      core.retagIfModelChanged();
      return core;
    } catch (error) {
      await engine.close();
      throw error;
    }
  }

  mediaFile(trackId: number): string | null {
    return this.library.mediaFile(trackId);
  }

  coverArt(trackId: number) {
    return this.library.coverArt(trackId);
  }

  addDropped(paths: readonly string[]) {
    return this.library.addPaths({ paths: [...paths] });
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  log(message: string): void {
    this.options.log(message);
  }

  /** Stops the queue (unfinished tracks resume next time), uploads, the engine and the store. */
  async close(): Promise<void> {
    await this.switching.catch(() => undefined);
    await this.clearml.close();
    await this.fileTags.close();
    await this.library.close();
    await this.engine.close();
  }

  private emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const listener of this.listeners) listener(event, payload);
  }

  private appInfo(): AppInfo {
    return {
      version: this.options.appVersion,
      transport: this.options.transport,
      dataDir: this.options.dataDir,
      model: modelInfo(this.engine.bundle),
      provider: this.engine.provider,
      providerNote: this.engine.fallbackReason ?? null,
      modelSet: modelSetInfo(this.engine.bundles, this.options.modelDir),
    };
  }

  private localModels(): LocalModelRow[] {
    return listLocalModels(this.options.dataDir, this.activeKey);
  }

  /** After the active model changed (in the app or with `eno models use`), re-tags the library. */
  private retagIfModelChanged(): number {
    const current = this.engine.bundles.map((b) => `${b.manifest.id}@${b.manifest.version}`).join(',');
    const settings = loadSettings(this.options.dataDir, this.options.log);
    if (settings.libraryModel === current) return 0;
    const queued = settings.libraryModel === null ? 0 : this.library.retagAll();
    saveSettings(this.options.dataDir, { ...settings, libraryModel: current });
    if (queued > 0) this.options.log(`model changed to ${current}: ${queued} track(s) queued for re-tagging`);
    return queued;
  }

  /** Opens a new engine on a model and hands it to the library in place of the current one. */
  private async replaceEngine(key: string): Promise<void> {
    const dir = this.options.modelDir && key === 'custom' ? this.options.modelDir : modelDirFor(this.options.dataDir, key);
    if (!dir) throw new AppError('not-found', `no installed model "${key}"`);
    const withAudioset = this.options.modelDir === undefined && loadSettings(this.options.dataDir, this.options.log).audiosetModel;
    const next = await TaggingEngine.open({ models: modelSet(dir, withAudioset), ep: this.options.ep ?? 'auto', log: this.options.log });
    const previous = this.engine;
    await this.library.setEngine(next);
    this.engine = next;
    this.activeKey = key;
    await previous.close();
  }

  /**
   * Switches the engine to another model set (another active model, the AudioSet model in or out),
   * re-tags the library with it and remembers the choice.
   */
  private async useModel(arg: ParsedArg<'useModel'>): Promise<AppInfo> {
    if (arg.key !== undefined && !modelDirFor(this.options.dataDir, arg.key)) throw new AppError('not-found', `no installed model "${arg.key}"`);
    const fixed = modelSetInfo(this.engine.bundles, this.options.modelDir).fixedReason;
    // Leaving out a model that is not installed asks for nothing; only a model folder given on the command line fixes that.
    if (fixed && (arg.audioset === true || (arg.audioset === false && this.options.modelDir !== undefined))) {
      throw new AppError(this.options.modelDir === undefined ? 'unavailable' : 'forbidden', `The model set cannot be changed: ${fixed}`);
    }
    const run = async (): Promise<AppInfo> => {
      const key = arg.key ?? this.activeKey;
      const settings = loadSettings(this.options.dataDir, this.options.log);
      const audioset = arg.audioset ?? settings.audiosetModel;
      // Already the set (a second click while the first switched): nothing to swap or re-tag.
      if (key === this.activeKey && audioset === hasAudioset(this.engine.bundles)) {
        if (settings.audiosetModel !== audioset) saveSettings(this.options.dataDir, { ...settings, audiosetModel: audioset });
        return this.appInfo();
      }
      // The engine reads the choice from the settings; put it back if the new set cannot start.
      saveSettings(this.options.dataDir, { ...settings, audiosetModel: audioset });
      try {
        await this.replaceEngine(key);
      } catch (error) {
        saveSettings(this.options.dataDir, { ...loadSettings(this.options.dataDir, this.options.log), audiosetModel: settings.audiosetModel });
        throw error;
      }
      if (arg.key !== undefined) setActiveModel(this.options.dataDir, key);
      const queued = this.retagIfModelChanged();
      const info = this.appInfo();
      this.emit('appInfo', info);
      this.emit('notice', { level: 'info', message: `Now tagging with ${describeModelSet(info.modelSet.models)}; ${queued} track(s) queued for re-tagging` });
      return info;
    };
    const result = this.switching.then(run, run);
    this.switching = result.catch(() => undefined);
    return result;
  }

  private makeHandlers(): Omit<Handlers, FileTagRequestName> {
    const lib = this.library;
    const ml = this.clearml;
    return {
      appInfo: () => this.appInfo(),
      listFolders: () => lib.listFolders(),
      addFolder: (a) => lib.addFolder(a),
      removeFolder: (a) => lib.removeFolder(a),
      addPaths: (a) => lib.addPaths(a),
      rescan: () => lib.rescan(),
      queryTracks: (a) => lib.queryTracks(a),
      trackIds: (a) => lib.trackIds(a),
      reviewQueue: (a) => lib.reviewQueue(a),
      getTrack: (a) => lib.getTrack(a),
      label: (a) => lib.label(a),
      setReviewed: (a) => {
        const outcome = lib.setReviewed(a);
        if (a.reviewed) this.fileTags.writeOnReview(a.trackIds);
        return outcome;
      },
      setMusic: (a) => lib.setMusic(a),
      undo: () => lib.undo(),
      redo: () => lib.redo(),
      history: () => lib.history(),
      vocabulary: () => lib.vocabulary(),
      queueStatus: () => lib.queueStatus(),
      pauseQueue: () => lib.pauseQueue(),
      resumeQueue: async () => {
        // Tagging stopped because the engine failed: Resume starts a fresh one.
        if (this.engine.broken) await this.replaceEngine(this.activeKey);
        return lib.resumeQueue();
      },
      cancelQueue: () => lib.cancelQueue(),
      retryUntagged: () => lib.retryUntagged(),
      clearmlSettings: () => ml.view(),
      saveClearmlSettings: (a) => ml.save(a),
      testClearmlConnection: () => ml.test(),
      uploadPreview: () => ml.preview(),
      startUpload: () => ml.startUpload(),
      cancelUpload: () => ml.cancelUpload(),
      uploadState: () => ml.uploadState(),
      uploadHistory: () => ml.history(),
      listRegistryModels: () =>
        ml.registryModels((id, version) => this.localModels().some((m) => m.id === id && m.version === version)),
      pullModel: async (a) => {
        const installed = await ml.pull(a.modelId);
        const row = this.localModels().find((m) => modelDirFor(this.options.dataDir, m.key) === installed.dir);
        if (!row) throw new AppError('failed', `the model was downloaded to ${installed.dir} but cannot be listed`);
        return row;
      },
      listLocalModels: () => this.localModels(),
      useModel: (a) => this.useModel(a),
      learnedTags: () => lib.learnedTags(),
      learnedTagExamples: (a) => lib.learnedTagExamples(a),
      setLearnedTagEnabled: (a) => lib.setLearnedTagEnabled(a),
      renameTag: (a) => lib.renameTag(a),
      acceptLearned: (a) => lib.acceptLearned(a),
      similarTracks: (a) => lib.similarTracks(a),
      learnNow: () => lib.learnNow(),
      rescanFolder: (a) => lib.rescanFolder(a),
      selectionSummary: (a) => lib.selectionSummary(a),
    };
  }
}
