// `eno write-tags [PATH...] [--data-dir DIR] [--dry-run]`: writes the library's final tags into the
// music files at or below PATH (every file of the library without one), the way the app does:
// verified copies swapped in atomically, each write undoable from the app.
// Exit status: 0 every file written (or already right), 1 some files failed, 2 usage error,
// 130 interrupted (files written so far stay written).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { TagWritePreview, TagWriteStatus } from '../../src-preload/contract';
import { FileTagService } from '../file-tags/file-tag-service';
import type { WriteScope } from '../file-tags/write-store';
import { libraryDataDir } from '../library/data-dir';
import { DATABASE_FILE } from '../library/store';
import type { CliIo } from './io';

export const WRITE_TAGS_USAGE = `usage: eno write-tags [PATH...] [options]

Writes each track's final tags (genres into the genre field, descriptors into the mood field, as
set in the app's "Tags in files" settings) into its music files. Only files already in the
library are written; PATH picks files or folders, none means the whole library.

options:
  --data-dir DIR    the library to take the tags from (default: eno's own data folder)
  --dry-run         print what would change, file by file, and write nothing
  -h, --help        show this help

exit status: 0 all files written, 1 some files failed, 2 usage error, 130 interrupted`;

const list = (values: readonly string[]): string => (values.length ? values.join('; ') : '(none)');

function printDiff(io: CliIo, preview: TagWritePreview): void {
  for (const file of preview.sample) {
    io.stdout(`${file.path}\n`);
    for (const c of file.changes) io.stdout(`  ${c.field.padEnd(5)} ${list(c.before)}  ->  ${list(c.after)}\n`);
  }
  io.stdout(
    `${preview.files} file(s); ${preview.changing} would change (genre in ${preview.fields.genre}, mood in ${preview.fields.mood})` +
      (preview.nothingToWrite ? `; ${preview.nothingToWrite} without tags to write` : '') +
      (preview.unsupported ? `; ${preview.unsupported} in formats eno does not write` : '') +
      '\n',
  );
}

function progressLine(s: TagWriteStatus): string {
  const eta = s.etaSec === null ? '' : `, ${s.etaSec} s left`;
  return `writing ${s.done}/${s.total} files (${s.filesPerSec.toFixed(1)} files/s${eta}), ${s.failed} failed`;
}

/** Runs `eno write-tags`; returns the exit status. */
export async function runWriteTags(args: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.stderr(`eno write-tags: ${(error as Error).message.replace(/\. To specify a positional.*$/s, '')}\n\n${WRITE_TAGS_USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout(`${WRITE_TAGS_USAGE}\n`);
    return 0;
  }
  const dataDir = parsed.values['data-dir'] ? resolve(parsed.values['data-dir']) : libraryDataDir();
  if (!existsSync(join(dataDir, DATABASE_FILE))) {
    io.stderr(`eno write-tags: there is no eno library in ${dataDir} (add folders in the app, or tag with "eno tag --data-dir")\n`);
    return 2;
  }
  const scopes: WriteScope[] = parsed.positionals.length ? parsed.positionals.map((p) => ({ kind: 'path', path: resolve(p) })) : [{ kind: 'library' }];
  let service: FileTagService;
  try {
    service = FileTagService.open({
      dataDir,
      emit: (event, payload) => {
        if (event === 'fileTags' && io.stderrIsTTY) io.stderr(`\r${progressLine(payload as TagWriteStatus)}\x1b[K`);
      },
    });
  } catch (error) {
    io.stderr(`eno write-tags: cannot open the library in ${dataDir}: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    return await run(service, scopes, Boolean(parsed.values['dry-run']), io);
  } finally {
    await service.close();
  }
}

async function run(service: FileTagService, scopes: readonly WriteScope[], dryRun: boolean, io: CliIo): Promise<number> {
  if (dryRun) {
    for (const scope of scopes) printDiff(io, service.preview(scope, Number.POSITIVE_INFINITY));
    return 0;
  }
  let failed = 0;
  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
    io.stderr('\neno: stopping after the files in flight; what was written stays written\n');
    service.cancel();
  };
  process.on('SIGINT', onSigint);
  try {
    for (const scope of scopes) {
      if (interrupted) break;
      const files = service.preview(scope, 0).files;
      if (files === 0) {
        io.stderr(`eno write-tags: no library files at ${scope.kind === 'path' ? scope.path : 'all'}\n`);
        failed++;
        continue;
      }
      const started = service.start(scope, scope.kind === 'path' ? scope.path : 'The whole library');
      await service.idle();
      const s = service.status();
      if (io.stderrIsTTY) io.stderr('\r\x1b[K');
      for (const f of service.failures(started.batchId!)) io.stderr(`error  ${f.path}: ${f.message}\n`);
      io.stderr(`eno: ${s.written} written, ${s.unchanged} already right, ${s.failed} failed, ${s.total - s.done} not done\n`);
      failed += s.failed;
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (interrupted) return 130;
  return failed > 0 ? 1 : 0;
}
