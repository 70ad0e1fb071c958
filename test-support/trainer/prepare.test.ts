// `prepare`: a base dataset from a folder of audio and a metadata CSV, tagged by the project's own
// engine, matched to albums by the tracks' tags, registered as a ClearML dataset version and read
// back with the official SDK in the corrections' format.
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSdkScript, sdkEnv } from '../clearml-server/python-sdk';
import { SHARED_AUDIO } from '../fixtures';
import { runTrainerPython, TRAINER_DIR, useTrainerServer } from './trainer-python';

const LABELLED = join(SHARED_AUDIO, '..', 'labelled');
const ctx = useTrainerServer('eno-trainer-prepare-');

describe('prepare', () => {
  it('tags the audio, matches albums, reports the rest and registers eno/rym-features', async () => {
    const audio = join(ctx.dir, 'audio');
    mkdirSync(audio);
    // Two tracks of one album (Voices of Music), one of another, one the CSV does not list.
    for (const clip of ['emotify-classical-1.mp3', 'emotify-classical-7.mp3', 'emotify-electronic-1.mp3', 'emotify-pop-3.mp3']) {
      symlinkSync(join(LABELLED, clip), join(audio, clip));
    }
    const csv = join(ctx.dir, 'albums.csv');
    writeFileSync(
      csv,
      [
        'artist,album,genres,descriptors',
        '"Voices of Music","Bach and Telemann - Sonatas, Preludes and Fantasias","Baroque; Chamber Music","calm; ornate"',
        'mantic,EPIGRAMS,"IDM; Glitch",mechanical',
        'Nobody,Never Recorded,Silence,quiet',
        ',No Artist,x,y',
      ].join('\n'),
    );
    const out = join(ctx.dir, 'out');
    const run = await runTrainerPython(
      [join(TRAINER_DIR, 'prepare.py'), '--audio', audio, '--metadata', csv, '--out', out, '--register', '--ep', 'cpu'],
      sdkEnv(ctx.server, join(ctx.dir, 'home')),
    );
    process.stdout.write(run.output);
    expect(run.code, run.output.slice(-4000)).toBe(0);
    expect(run.output).toContain('prepare: 4 track(s) tagged, 3 matched to an album of albums.csv');
    expect(run.output).toMatch(/prepare: unmatched: .*emotify-pop-3\.mp3 \(artist 'Norine Braun', album 'Crow'\)/);
    expect(run.output).toContain('prepare: no track for Nobody - Never Recorded (albums.csv:4)');
    expect(run.output).toContain('prepare: albums.csv:5: no artist or album');
    expect(run.output).toMatch(/prepare: registered eno\/rym-features 1\.0\.0 \([0-9a-f]{32}\)/);

    const read = await runSdkScript<{ version: string; files: Record<string, { size: number }> }>(ctx.server, join(ctx.dir, 'home-read'), 'read_dataset.py', [
      'eno',
      'rym-features',
    ]);
    expect(read.version).toBe('1.0.0');
    expect(Object.keys(read.files).sort()).toEqual(['embeddings/base.f32', 'embeddings/base.index.json', 'labels/base.jsonl', 'manifest.json']);
    expect(read.files['embeddings/base.f32']!.size).toBe(3 * 200 * 4);
    const records = readFileSync(join(out, 'dataset', 'labels', 'base.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.map((r) => r.final_tags)).toEqual([
      ['Baroque', 'Chamber Music', 'calm', 'ornate'],
      ['Baroque', 'Chamber Music', 'calm', 'ornate'],
      ['IDM', 'Glitch', 'mechanical'],
    ]);
    expect(records[0]).toMatchObject({ model_id: 'musicnn-msd', embedding_row: 0, tag_categories: { Baroque: 'genre', calm: 'descriptor' } });
  }, 45 * 60_000);
});
