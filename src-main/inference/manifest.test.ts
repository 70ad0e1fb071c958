import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR, tempDir } from '../../test-support/fixtures';
import { loadModelBundle, logMelSpecOf, patchSeconds, verifyModelChecksum } from './manifest';

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
});
