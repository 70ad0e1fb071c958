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

const CSV_HEADER = ['file', 'status', 'duration_sec', 'top_tags', 'genres', 'descriptors', 'other_tags', 'model', 'warnings', 'reason', 'music'];

/** `tag:score` per tag; with several models each tag also names its model (`tag@model:score`). */
function tagList(tags: ReadonlyArray<{ tag: string; score: number; model: string }>, withModel: boolean): string {
  return tags.map((t) => `${t.tag}${withModel ? `@${t.model}` : ''}:${t.score.toFixed(3)}`).join(';');
}

/** One CSV line for a record. */
export function csvLine(record: TagRecord): string {
  if (record.status === 'error') return `${[record.file, 'error', '', '', '', '', '', '', '', record.reason, ''].map(csvField).join(',')}\n`;
  const several = Object.keys(record.models).length > 1;
  const t = record.tags;
  const fields = [
    record.file,
    'ok',
    record.duration_sec,
    tagList(record.top, several),
    tagList(t.genre ?? [], several),
    tagList(t.descriptor ?? [], several),
    tagList([...(t.era ?? []), ...(t.vocal ?? []), ...(t.instrument ?? []), ...(t.other ?? [])], several),
    Object.entries(record.models)
      .map(([id, m]) => `${id}@${m.version}`)
      .join(';'),
    record.warnings.join('; '),
    '',
    record.music?.verdict ?? '',
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
    const notes = [...(record.music?.verdict === 'not music' ? ['not music'] : []), ...record.warnings.slice(0, 1)];
    const note = notes.length > 0 ? `  (${notes.join('; ')})` : '';
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
