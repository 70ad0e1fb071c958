// The running core shared by the desktop app and browser mode: the tagging engine, the library
// and its queue, the contract handlers over them, and the event fan-out.
import { join } from 'node:path';
import type { AppInfo, EventName, EventPayloads } from '../../src-preload/contract';
import { defaultModelDir } from '../inference/default-model';
import { TaggingEngine } from '../inference/engine';
import type { ExecutionProviderChoice } from '../inference/worker-protocol';
import { Library } from '../library/library';
import type { CoreHost, EventListener } from './core-host';
import type { Handlers } from './dispatch';
import type { Log } from './logger';

export interface AppCoreOptions {
  readonly dataDir: string;
  readonly transport: AppInfo['transport'];
  readonly appVersion: string;
  readonly modelDir?: string;
  readonly ep?: ExecutionProviderChoice;
  readonly log: Log;
}

export class AppCore implements CoreHost {
  readonly handlers: Handlers;
  readonly importDir: string;
  private readonly listeners = new Set<EventListener>();

  private constructor(
    private readonly options: AppCoreOptions,
    private readonly engine: TaggingEngine,
    private readonly library: Library,
  ) {
    this.importDir = join(options.dataDir, 'imported');
    this.handlers = this.makeHandlers();
  }

  /** Starts the engine and opens the library (its queue resumes unfinished work). */
  static async open(options: AppCoreOptions): Promise<AppCore> {
    const modelDir = options.modelDir ?? defaultModelDir();
    if (!modelDir) throw new Error('the default model is not installed');
    const engine = await TaggingEngine.open({ modelDir, ep: options.ep ?? 'auto', log: options.log });
    const fanOut: EventListener = (event, payload) => core?.emit(event, payload);
    let core: AppCore | undefined;
    try {
      const library = await Library.open({ dataDir: options.dataDir, engine, onEvent: fanOut });
      core = new AppCore(options, engine, library);
      return core;
    } catch (error) {
      await engine.close();
      throw error;
    }
  }

  mediaFile(trackId: number): string | null {
    return this.library.mediaFile(trackId);
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

  /** Stops the queue (unfinished tracks resume next time), the engine and the store. */
  async close(): Promise<void> {
    await this.library.close();
    await this.engine.close();
  }

  private emit<E extends EventName>(event: E, payload: EventPayloads[E]): void {
    for (const listener of this.listeners) listener(event, payload);
  }

  private appInfo(): AppInfo {
    const m = this.engine.bundle.manifest;
    return {
      version: this.options.appVersion,
      transport: this.options.transport,
      dataDir: this.options.dataDir,
      model: { id: m.id, version: m.version, name: m.name ?? m.id, source: m.source },
      provider: this.engine.provider,
      providerNote: this.engine.fallbackReason ?? null,
    };
  }

  private makeHandlers(): Handlers {
    const lib = this.library;
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
      setReviewed: (a) => lib.setReviewed(a),
      undo: () => lib.undo(),
      redo: () => lib.redo(),
      history: () => lib.history(),
      vocabulary: () => lib.vocabulary(),
      queueStatus: () => lib.queueStatus(),
      pauseQueue: () => lib.pauseQueue(),
      resumeQueue: () => lib.resumeQueue(),
      cancelQueue: () => lib.cancelQueue(),
      retryUntagged: () => lib.retryUntagged(),
    };
  }
}
