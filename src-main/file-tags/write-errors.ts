// Why a file was not written, in words a person understands, with a code the UI and the CLI use.
import type { FileWriteCode } from '../../src-preload/contract-data';
import { DamagedTagsError } from './tag-io';

/** A write that did not happen; the original file is as it was. */
export class FileWriteError extends Error {
  override name = 'FileWriteError';
  constructor(
    readonly code: FileWriteCode,
    message: string,
  ) {
    super(message);
  }
}

/** Turns anything thrown during a write into a FileWriteError with a plain reason. */
export function writeFailure(error: unknown): FileWriteError {
  if (error instanceof FileWriteError) return error;
  if (error instanceof DamagedTagsError) return new FileWriteError('damaged', error.message);
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return new FileWriteError('vanished', 'the file is gone: moved or deleted since the last scan');
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new FileWriteError('read-only', 'the file or its folder is read-only (eno writes a copy beside the file, then swaps it in)');
    case 'ENOSPC':
    case 'EDQUOT':
      return new FileWriteError('disk-full', 'the disk is full: there is no room for a copy of the file');
    case 'EIO':
      return new FileWriteError('failed', 'input/output error while writing');
    default: {
      const message = error instanceof Error ? error.message : String(error);
      // node-taglib-sharp names corrupt structures in its messages.
      if (/corrupt|invalid|not enough|out of range|unsupported/i.test(message)) {
        return new FileWriteError('damaged', `the file's tags are damaged (${message})`);
      }
      return new FileWriteError('failed', message);
    }
  }
}
