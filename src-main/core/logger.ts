// The core's log: timestamped lines appended to <data dir>/logs/eno.log (kept under 5 MB by
// rolling over to eno.log.1), and optionally echoed to a stream.
import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';

const MAX_BYTES = 5 * 1024 * 1024;

export type Log = (message: string) => void;

/** A logger writing to the data folder. */
export function fileLogger(dataDir: string, echo?: (line: string) => void): Log {
  const dir = join(dataDir, 'logs');
  const file = join(dir, 'eno.log');
  mkdirSync(dir, { recursive: true });
  return (message) => {
    const line = `${new Date().toISOString()} ${message}\n`;
    echo?.(line);
    try {
      if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > MAX_BYTES) renameSync(file, `${file}.1`);
      appendFileSync(file, line);
    } catch {
      // Logging must never take the app down.
    }
  };
}
