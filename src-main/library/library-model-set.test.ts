// A library tagged by a model set: each model's prediction is stored, the final tags are the union
// (each naming its model), a correction records the model of its tag, and a track the set judges
// not music is marked so, kept out of the review queue and uploads until a person says otherwise.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaggingEngine } from '../inference/engine';
import { DEFAULT_MODEL_DIR, EFFICIENTAT_MODEL_DIR, sharedClip, tempDir } from '../../test-support/fixtures';
import { openRecording, query, untilQueueIdle } from '../../test-support/library-harness';

const tmp = tempDir();
let engine: TaggingEngine;
beforeAll(async () => {
  engine = await TaggingEngine.open({ models: [{ dir: DEFAULT_MODEL_DIR }, { dir: EFFICIENTAT_MODEL_DIR }], ep: 'cpu' });
});
afterAll(async () => {
  await engine.close();
  tmp.cleanup();
});

describe('a library tagged by musicnn and mn04', () => {
  it('stores both predictions, shows the union of their tags with their models, and sets speech aside', async () => {
    const music = join(tmp.dir, 'music');
    mkdirSync(music);
    copyFileSync(sharedClip('music/bensound-thejazzpiano.mp3'), join(music, 'piano.mp3'));
    copyFileSync(sharedClip('nonmusic/198-209-0000.ogg'), join(music, 'reading.ogg'));
    const data = join(tmp.dir, 'data');
    mkdirSync(data);
    const { library } = await openRecording(data, engine);
    try {
      await library.addFolder({ path: music });
      await untilQueueIdle(library);
      const rows = library.queryTracks(query()).rows;
      const piano = rows.find((r) => r.path?.endsWith('piano.mp3'))!;
      const reading = rows.find((r) => r.path?.endsWith('reading.ogg'))!;

      // Both models' predictions, and final tags from both, each naming its model.
      const detail = library.getTrack({ id: piano.id });
      const models = new Set(detail.prediction!.tags.map((t) => t.model));
      expect(models).toEqual(new Set(['musicnn-msd', 'efficientat-mn04']));
      expect(piano.genres).toContainEqual(expect.objectContaining({ tag: 'jazz', model: 'musicnn-msd' }));
      expect(piano.genres).toContainEqual(expect.objectContaining({ tag: 'Jazz', model: 'efficientat-mn04' }));
      expect(piano.others).toContainEqual(expect.objectContaining({ tag: 'Piano', model: 'efficientat-mn04' }));
      expect(detail.finalTags).toEqual(expect.arrayContaining(['jazz', 'Jazz', 'Piano']));
      expect(detail.music).toEqual({ verdict: 'music', override: false });

      // A correction of an mn04 tag records mn04 as its model; the tag filter finds it.
      library.label({ trackIds: [piano.id], action: 'reject', tag: 'Piano' });
      expect(library.getTrack({ id: piano.id }).finalTags).not.toContain('Piano');
      library.label({ trackIds: [piano.id], action: 'accept', tag: 'Jazz' });
      expect(library.queryTracks(query({ tag: 'Jazz' })).rows.map((r) => r.id)).toEqual([piano.id]);

      // The reading is not music: its status says so, and it is neither in the queue nor uploaded.
      expect(reading.status).toBe('not music');
      expect(library.getTrack({ id: reading.id }).music).toEqual({ verdict: 'not music', override: false });
      expect(library.reviewQueue({ limit: 100 })).toEqual([piano.id]);
      library.label({ trackIds: [reading.id], action: 'add', tag: 'audiobook' });
      expect(library.pendingCorrections().map((c) => c.trackHash)).toHaveLength(1);

      // Until the person says it is music after all.
      const after = library.setMusic({ trackIds: [reading.id], music: true });
      expect(after.tracks[0]!.status).toBe('tagged');
      expect(library.reviewQueue({ limit: 100 })).toContain(reading.id);
      expect(library.pendingCorrections()).toHaveLength(2);
      expect(library.queryTracks(query({ statuses: ['not music'] })).rows).toEqual([]);
    } finally {
      await library.close();
    }
  });
});
