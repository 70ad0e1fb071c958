// Test fixtures: the shared real clips (read in place, never copied into the repository) and
// generated audio files written to temporary folders.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wavBytes } from '../src-main/audio/wav';

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The shared audio folder (../shared/audio beside the repository, or ENO_SHARED_AUDIO). */
export const SHARED_AUDIO = process.env.ENO_SHARED_AUDIO ?? resolve(REPO_ROOT, '..', 'shared', 'audio');

/** Path of a clip under the shared audio folder, e.g. sharedClip('music/bensound-cute.mp3'). */
export function sharedClip(relativePath: string): string {
  return join(SHARED_AUDIO, relativePath);
}

/** The default model bundle of the repository. */
export const DEFAULT_MODEL_DIR = join(REPO_ROOT, 'models', 'musicnn-msd');

/** The AudioSet model bundle (EfficientAT mn04), the second model of the default set. */
export const EFFICIENTAT_MODEL_DIR = join(REPO_ROOT, 'models', 'efficientat-mn04');

/** A temporary folder removed by the returned cleanup function. */
export function tempDir(prefix = 'eno-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes a WAV file and returns its path. */
export function writeWav(path: string, samples: Float32Array, sampleRate: number, channels = 1): string {
  writeFileSync(path, wavBytes(samples, sampleRate, channels));
  return path;
}

/** A sine tone (mono) of the given length. */
export function sine(seconds: number, sampleRate: number, hz = 440, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / sampleRate);
  return out;
}
