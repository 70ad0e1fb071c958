// Transport over Electron IPC, through the functions the preload puts on window.eno.
import type { EnoApi } from '../../../src-preload/contract';
import { coverPath, mediaPath, type RequestName, type Result } from '../../../src-preload/contract-data';
import type { Transport } from './transport';

/** Wraps window.eno. */
export function electronTransport(eno: EnoApi): Transport {
  return {
    kind: 'electron',
    request: (name: RequestName, arg: unknown) =>
      (eno[name] as (a: unknown) => Promise<Result<unknown>>)(arg),
    on: (event, listener) => eno.on(event, listener),
    mediaUrl: (trackId) => `eno-media://${mediaPath(trackId)}`,
    coverUrl: (trackId) => `eno-media://${coverPath(trackId)}`,
    importFiles: async (files) => {
      const paths = files.map((f) => eno.pathForFile(f)).filter((p) => p.length > 0);
      if (paths.length === 0) return { files: 0, queued: 0, errors: [] };
      const result = await eno.addPaths({ paths });
      if (!result.ok) throw new Error(result.error.message);
      return result.value;
    },
    chooseFolder: () => eno.chooseFolder(),
  };
}
