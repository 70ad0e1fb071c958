// Where `eno tag` writes its records: a JSON Lines or CSV file (chosen by extension), or a readable
// table on stdout. Each record is written as soon as its track is done, so an interrupted run keeps
// everything it finished.
import { closeSync, openSync, writeSync } from 'node:fs';
import { extname, relative } from 'node:path';
import type { TagRecord } from './records';

export interface RecordSink {
  write(record: TagRecord): void;
  close(): void;
}

/** Thrown for an --out value that cannot be used; a usage error. */
export class OutputError extends Error {}

function openForWrite(path: string): number {
  try {
    return openSync(path, 'w');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' ? 'permission denied' : String(code);
    throw new OutputError(`cannot write ${path}: ${why}`);
  }
}

class FileSink implements RecordSink {
  constructor(
    private readonly fd: number,
    private readonly format: (record: TagRecord) => string,
  ) {}

  write(record: TagRecord): void {
    writeSync(this.fd, this.format(record));
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Quotes one CSV field when it needs it (RFC 4180). */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const CSV_HEADER = ['file', 'status', 'duration_sec', 'top_tags', 'genres', 'descriptors', 'other_tags', 'model', 'warnings', 'reason'];

function tagList(tags: ReadonlyArray<{ tag: string; score: number }>): string {
  return tags.map((t) => `${t.tag}:${t.score.toFixed(3)}`).join(';');
}

/** One CSV line for a record. */
export function csvLine(record: TagRecord): string {
  const fields =
    record.status === 'error'
      ? [record.file, 'error', '', '', '', '', '', '', '', record.reason]
      : [
          record.file,
          'ok',
          record.duration_sec,
          tagList(record.top),
          tagList(record.tags.genre),
          tagList(record.tags.descriptor),
          tagList([...record.tags.era, ...record.tags.vocal, ...record.tags.instrument, ...record.tags.other]),
          `${record.model.id}@${record.model.version}`,
          record.warnings.join('; '),
          '',
        ];
  return `${fields.map(csvField).join(',')}\n`;
}

function formatDuration(sec: number): string {
  const whole = Math.round(sec);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

/** Streams a fixed-width table: status, duration, tags (or the reason), file. */
class TableSink implements RecordSink {
  private headerDone = false;

  constructor(
    private readonly out: (text: string) => void,
    private readonly topK: number,
  ) {}

  write(record: TagRecord): void {
    if (!this.headerDone) {
      this.out(`${'STATUS'.padEnd(6)}  ${'LENGTH'.padStart(6)}  ${'TAGS'.padEnd(48)}  FILE\n`);
      this.headerDone = true;
    }
    const file = relative(process.cwd(), record.file) || record.file;
    if (record.status === 'error') {
      this.out(`${'error'.padEnd(6)}  ${''.padStart(6)}  ${record.reason.padEnd(48)}  ${file}\n`);
      return;
    }
    const tags = record.top
      .slice(0, this.topK)
      .map((t) => `${t.tag} ${t.score.toFixed(2)}`)
      .join(', ');
    const note = record.warnings.length > 0 ? `  (${record.warnings[0]})` : '';
    this.out(`${'ok'.padEnd(6)}  ${formatDuration(record.duration_sec).padStart(6)}  ${tags.padEnd(48)}  ${file}${note}\n`);
  }

  close(): void {}
}

/** Opens the sink for --out (or the table when `outPath` is undefined). */
export function openSink(outPath: string | undefined, topK: number, stdout: (text: string) => void): RecordSink {
  if (!outPath) return new TableSink(stdout, topK);
  const ext = extname(outPath).toLowerCase();
  if (ext === '.jsonl' || ext === '.ndjson') {
    return new FileSink(openForWrite(outPath), (r) => `${JSON.stringify(r)}\n`);
  }
  if (ext === '.csv') {
    const fd = openForWrite(outPath);
    writeSync(fd, `${CSV_HEADER.join(',')}\n`);
    return new FileSink(fd, csvLine);
  }
  throw new OutputError(`--out ${outPath}: use a .jsonl or .csv file name`);
}
