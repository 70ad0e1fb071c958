import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR, EFFICIENTAT_MODEL_DIR, tempDir } from '../../test-support/fixtures';
import { audioWindowingOf, loadModelBundle, logMelSpecOf, patchHopSeconds, patchSeconds, tagColumns, verifyModelChecksum } from './manifest';

const tmp = tempDir();
afterAll(tmp.cleanup);
const original = JSON.parse(readFileSync(join(DEFAULT_MODEL_DIR, 'eno-model.json'), 'utf8')) as Record<string, unknown>;

function bundleWith(name: string, manifest: unknown, modelBytes = 'not really onnx'): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'eno-model.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  writeFileSync(join(dir, 'model.onnx'), modelBytes);
  return dir;
}

describe('loadModelBundle', () => {
  it('reads the default bundle: 50 tags, log-mel input as the reference computes it', async () => {
    const bundle = await loadModelBundle(DEFAULT_MODEL_DIR);
    expect(bundle.manifest.id).toBe('musicnn-msd');
    expect(bundle.manifest.tags).toHaveLength(50);
    expect(logMelSpecOf(bundle.manifest)).toMatchObject({ sampleRate: 16000, nFft: 512, hop: 256, nMels: 96, logScale: 10000, patchFrames: 187, float16BeforeLog: true });
    expect(patchSeconds(bundle.manifest)).toBeCloseTo(2.992, 3);
    await expect(verifyModelChecksum(bundle)).resolves.toBeUndefined();
  });

  it('names the file and the problem for a broken manifest', async () => {
    await expect(loadModelBundle(bundleWith('bad-json', '{ nope'))).rejects.toThrow(/eno-model\.json: not valid JSON/);
    await expect(loadModelBundle(bundleWith('no-tags', { ...original, tags: [] }))).rejects.toThrow(/invalid manifest at tags/);
    const tags = original.tags as Array<Record<string, unknown>>;
    await expect(loadModelBundle(bundleWith('dup', { ...original, tags: [tags[0], tags[0]] }))).rejects.toThrow(/tag "rock" is listed twice/);
    await expect(loadModelBundle(bundleWith('bad-cat', { ...original, tags: [{ ...tags[0], category: 'vibe' }] }))).rejects.toThrow(/invalid manifest at tags\.0\.category/);
    await expect(loadModelBundle(bundleWith('bad-log', { ...original, input: { ...(original.input as object), log: 'ln(x)' } }))).rejects.toThrow(/log must read log10\(1\+C\*x\)/);
  });

  it('refuses a model file that does not match the manifest checksum', async () => {
    const bundle = await loadModelBundle(bundleWith('tampered', original));
    await expect(verifyModelChecksum(bundle)).rejects.toThrow(/model\.onnx: checksum mismatch/);
  });

  it('reads a schema-2 manifest that describes a windowed front end, tag columns and detectors', async () => {
    const bundle = await loadModelBundle(EFFICIENTAT_MODEL_DIR);
    const m = bundle.manifest;
    expect(m.schema).toBe(2);
    expect(logMelSpecOf(m)).toMatchObject({
      sampleRate: 32000, nFft: 1024, winLength: 800, hop: 320, window: 'hann-symmetric', padMode: 'reflect', preEmphasis: 0.97,
      nMels: 128, melScale: 'kaldi', melNorm: null, fmaxHz: 15000, logOffset: 1e-5, normalize: { add: 4.5, divide: 5 }, patchFrames: 1000,
    });
    expect(audioWindowingOf(m)).toEqual({ windowSamples: 320000, hopSamples: 320000, tail: 'end-aligned' });
    expect(patchSeconds(m)).toBe(10);
    expect(patchHopSeconds(m)).toBe(10);
    expect(tagColumns(m)).toHaveLength(154);
    expect(m.detectors).toEqual({ music: { name: 'Music', index: 137 }, speech: { name: 'Speech', index: 0 } });
    expect(bundle.precision).toBe('exact');
    await expect(verifyModelChecksum(bundle)).resolves.toBeUndefined();
  });

  it('keeps schema-1 manifests to schema-1 fields and checks columns and precisions', async () => {
    const tags = original.tags as Array<Record<string, unknown>>;
    const input = original.input as Record<string, unknown>;
    await expect(loadModelBundle(bundleWith('v1-kaldi', { ...original, input: { ...input, mel_scale: 'kaldi', mel_norm: null } }))).rejects.toThrow(
      /invalid manifest at input\.mel_scale: needs "schema": 2/,
    );
    const v2 = { ...original, schema: 2 };
    await expect(loadModelBundle(bundleWith('half-indexed', { ...v2, tags: [{ ...tags[0], index: 3 }, tags[1]] }))).rejects.toThrow(/give every tag an index, or none/);
    await expect(loadModelBundle(bundleWith('out-of-range', { ...v2, tags: [{ ...tags[0], index: 50 }] }))).rejects.toThrow(/has index 50 beyond the 1 activations/);
    await expect(loadModelBundle(bundleWith('no-window', { ...v2, input: { ...input, segment: 'audio' } }))).rejects.toThrow(/window_samples: needed/);
    await expect(loadModelBundle(bundleWith('bad-default', { ...v2, default_precision: 'int4' }))).rejects.toThrow(/"int4" is not one of the precisions/);
    await expect(loadModelBundle(DEFAULT_MODEL_DIR, 'int4')).rejects.toThrow(/no precision "int4" in this bundle \(it has: exact/);
  });
});

