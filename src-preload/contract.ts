// The one typed list of everything the UI may ask the core, and everything it may hear from it.
// Requests: name -> argument -> result. Events: name -> payload. Plain serialisable data only.
import { z } from 'zod';

/** Errors cross the boundary as values: only the message survives serialisation anyway. */
export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ErrorInfo };

export interface ErrorInfo {
  readonly code: string;
  readonly message: string;
}

export interface AppInfo {
  readonly version: string;
  readonly modelId: string;
  readonly modelVersion: string;
  readonly provider: string;
  readonly providerNote: string | null;
}

/** Requests: zod schema of the argument and the TypeScript type of the result. */
export const requestSchemas = {
  /** Versions and the active model; called by the renderer at start. */
  appInfo: z.void(),
} as const;

export interface RequestResults {
  appInfo: AppInfo;
}

export type RequestName = keyof typeof requestSchemas;
export type RequestArg<N extends RequestName> = z.infer<(typeof requestSchemas)[N]>;
export type RequestResult<N extends RequestName> = RequestResults[N];

/** Events from the core to the UI. */
export interface EventPayloads {
  /** The core started or finished something worth a status line. */
  status: { readonly message: string };
}

export type EventName = keyof EventPayloads;

/** The API the preload exposes on window.eno (and browser mode mirrors). */
export type EnoApi = {
  readonly [N in RequestName]: (arg: RequestArg<N>) => Promise<Result<RequestResult<N>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void;
};

/** IPC channel names carry the app's prefix. */
export const requestChannel = (name: RequestName): string => `eno:request:${name}`;
export const eventChannel = (name: EventName): string => `eno:event:${name}`;
