// The file-tag service over a real library: preview, a batch with progress, the track's status,
// undo per track and per batch, a failing file on its own row, pause/cancel, resume after a
// restart, write-as-you-review, and the file's own values read at scan time.
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TagWriteStatus } from '../../src-preload/contract';
import { tempDir } from '../../test-support/fixtures';
import { openRecording, waitFor } from '../../test-support/library-harness';
import { fakeOutcome, makeTaggedFile, mutagenTags, TEST_FORMATS } from '../../test-support/tagged-files';
import type { Library } from '../library/library';
import { fileTagHandlers } from '../core/file-tag-handlers';
import { FileTagService } from './file-tag-service';

const tmp = tempDir('eno-filetag-service-');
const music = join(tmp.dir, 'music');
const data = join(tmp.dir, 'data');
let library: Library;
let service: FileTagService;
const events: TagWriteStatus[] = [];
const ids: Record<string, number> = {};

const TAGS = [
  { name: 'post-rock', category: 'genre', score: 0.9 },
  { name: 'rock', category: 'genre', score: 0.6 },
  { name: 'melancholic', category: 'descriptor', score: 0.8 },
  { name: 'happy', category: 'descriptor', score: 0.2 },
  { name: 'female vocalists', category: 'vocal', score: 0.7 },
] as const;

beforeAll(async () => {
  mkdirSync(music, { recursive: true });
  mkdirSync(data);
  const files = { a: 'a.mp3', b: 'b.flac', c: 'c.ogg', d: 'd.m4a' };
  const formats = { a: TEST_FORMATS[0]!, b: TEST_FORMATS[2]!, c: TEST_FORMATS[3]!, d: TEST_FORMATS[5]! };
  for (const [k, name] of Object.entries(files)) makeTaggedFile(join(music, name), formats[k as keyof typeof formats], { seconds: 3 + Object.keys(ids).length });
  ({ library } = await openRecording(data, null, { runQueue: false }));
  await library.addFolder({ path: music });
  await library.settled();
  for (const [k, name] of Object.entries(files)) ids[k] = await library.importOutcome(join(music, name), fakeOutcome(join(music, name), [...TAGS]));
  service = FileTagService.open({ dataDir: data, emit: (event, payload) => event === 'fileTags' && events.push(payload as TagWriteStatus) });
}, 120_000);
afterAll(async () => {
  await service?.close();
  await library?.close();
  tmp.cleanup();
});

describe('FileTagService', () => {
  it('shows what the file says (read at scan time) and what eno would write', () => {
    const t = service.trackFileTags(ids.a!);
    expect(t.inFile).toEqual({ genre: ['Jazz'], mood: [] });
    expect(t.planned).toEqual({ genre: ['Post-Rock', 'Rock'], mood: ['Melancholic'] });
    expect(t.changes).toEqual([
      { field: 'genre', before: ['Jazz'], after: ['Jazz', 'Post-Rock', 'Rock'] },
      { field: 'mood', before: [], after: ['Melancholic'] },
    ]);
    expect(t.lastWrite).toBeNull();
  });

  it('turns the file\'s own values into labels that go up with corrections, marked as from the file', async () => {
    const handlers = fileTagHandlers(library, service);
    const outcome = await handlers.labelFromFile({ trackIds: [ids.c!] });
    expect(outcome.tracks[0]!.others.map((t) => t.tag)).toContain('Jazz');
    expect(service.trackFileTags(ids.c!).labelled).toEqual(['Jazz']);
    const record = library.pendingCorrections().find((c) => c.finalTags.includes('Jazz'))!;
    expect(record.tagsFromFile).toEqual(['Jazz']);
    expect(record.tagsAdded).toContain('Jazz');
    library.undo();
    expect(library.getTrack({ id: ids.c! }).finalTags).not.toContain('Jazz');
  });

  it('previews a folder: files, changed fields, a sample diff', () => {
    const folderId = library.listFolders()[0]!.id;
    const p = service.preview({ kind: 'folder', folderId });
    expect(p).toMatchObject({ files: 4, changing: 4, unsupported: 0, fields: { genre: 4, mood: 4 } });
    expect(p.sample[0]).toMatchObject({ path: join(music, 'a.mp3'), changes: [{ field: 'genre', after: ['Jazz', 'Post-Rock', 'Rock'] }, { field: 'mood' }] });
  });

  it('writes a folder, one failing file on its own row, and undoes a track, then the batch', async () => {
    chmodSync(join(music, 'c.ogg'), 0o444);
    const folderId = library.listFolders()[0]!.id;
    service.start({ kind: 'folder', folderId }, 'music');
    await service.idle();
    const status = service.status();
    expect(status).toMatchObject({ state: 'idle', total: 4, done: 4, written: 3, failed: 1 });
    expect(status.errors).toEqual([{ path: join(music, 'c.ogg'), code: 'read-only', message: 'the file is read-only' }]);
    expect(events.some((e) => e.state === 'running')).toBe(true);
    expect(service.trackFileTags(ids.c!).lastWrite).toMatchObject({ state: 'failed', code: 'read-only', canUndo: false });

    const [a, b, d] = mutagenTags(join(music, 'a.mp3'), join(music, 'b.flac'), join(music, 'd.m4a'));
    expect(a!.tags.TCON).toEqual(['Jazz', 'Post-Rock', 'Rock']);
    expect(a!.tags.TMOO).toEqual(['Melancholic']);
    expect(b!.tags.mood).toEqual(['Melancholic']);
    expect(d!.tags['©gen']).toEqual(['Jazz', 'Post-Rock', 'Rock']);
    // The store follows the file: a rescan finds it unchanged, the same track.
    expect(service.trackFileTags(ids.a!)).toMatchObject({ inFile: { genre: ['Jazz', 'Post-Rock', 'Rock'], mood: ['Melancholic'] }, changes: [] });
    expect(service.trackFileTags(ids.a!).lastWrite).toMatchObject({ state: 'written', canUndo: true });

    service.undo({ trackIds: [ids.a!] });
    await service.idle();
    expect(mutagenTags(join(music, 'a.mp3'))[0]!.tags.TCON).toEqual(['Jazz']);
    expect(mutagenTags(join(music, 'a.mp3'))[0]!.tags.TMOO).toBeUndefined();
    expect(service.trackFileTags(ids.a!).lastWrite).toMatchObject({ state: 'undone', canUndo: false });

    const batch = service.history().find((h) => h.kind === 'write')!;
    expect(batch).toMatchObject({ written: 3, failed: 1, undoable: 2 });
    service.undo({ batchId: batch.id });
    await service.idle();
    const [b2, d2] = mutagenTags(join(music, 'b.flac'), join(music, 'd.m4a'));
    expect(b2!.tags.genre).toEqual(['Jazz']);
    expect(b2!.tags.mood).toBeUndefined();
    expect(d2!.tags['©gen']).toEqual(['Jazz']);
    chmodSync(join(music, 'c.ogg'), 0o644);

    library.rescan();
    await library.settled('scans');
    expect(library.listFolders()[0]!.tracks).toBe(4);
  }, 120_000);

  it('does not undo over a change someone else made to the field', async () => {
    service.start({ kind: 'tracks', trackIds: [ids.b!] }, 'b');
    await service.idle();
    const { safeWriteFields } = await import('./safe-write');
    await safeWriteFields(join(music, 'b.flac'), { genre: ['Edited Elsewhere'] }, { multiValue: 'separate', separator: '; ' }, null);
    service.undo({ trackIds: [ids.b!] });
    await service.idle();
    expect(service.status().errors[0]).toMatchObject({ code: 'changed' });
    expect(mutagenTags(join(music, 'b.flac'))[0]!.tags.genre).toEqual(['Edited Elsewhere']);
  }, 60_000);

  it('pauses and cancels; a batch running when eno stops comes back paused', async () => {
    service.start({ kind: 'library' }, 'library');
    service.pause();
    await service.idle();
    const paused = service.status();
    expect(paused.state).toBe('paused');
    expect(paused.done).toBeLessThan(paused.total);
    await service.close();
    service = FileTagService.open({ dataDir: data, emit: () => undefined });
    expect(service.status().state).toBe('paused');
    service.resume();
    service.cancel();
    await service.idle();
    expect(service.status().state).toBe('idle');
    expect(() => service.undo({ trackIds: [999_999] })).toThrow(/no write to undo/);
  }, 60_000);

  it('writes as you review when asked, and not otherwise', async () => {
    const path = join(music, 'd.m4a');
    const mtime = statSync(path).mtimeMs;
    service.writeOnReview([ids.d!]);
    await service.idle();
    expect(statSync(path).mtimeMs).toBe(mtime);
    service.saveSettings({ writeOnReview: true, existing: 'replace', targets: { vocal: 'mood' } });
    service.writeOnReview([ids.d!]);
    await waitFor(() => service.status().state === 'idle', 'the write');
    await service.idle();
    expect(mutagenTags(path)[0]!.tags['©gen']).toEqual(['Post-Rock', 'Rock']);
    expect(mutagenTags(path)[0]!.tags['----:com.apple.iTunes:MOOD']).toEqual(['Melancholic', 'Female Vocalists']);
  }, 60_000);
});
