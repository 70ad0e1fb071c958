// Test fixtures: the shared real clips (read in place, never copied into the repository) and
// generated audio files written to temporary folders.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The shared audio folder (../shared/audio beside the repository, or ENO_SHARED_AUDIO). */
export const SHARED_AUDIO = process.env.ENO_SHARED_AUDIO ?? resolve(REPO_ROOT, '..', 'shared', 'audio');

/** Path of a clip under the shared audio folder, e.g. sharedClip('music/bensound-cute.mp3'). */
export function sharedClip(relativePath: string): string {
  return join(SHARED_AUDIO, relativePath);
}

/** The default model bundle of the repository. */
export const DEFAULT_MODEL_DIR = join(REPO_ROOT, 'models', 'musicnn-msd');

/** A temporary folder removed by the returned cleanup function. */
export function tempDir(prefix = 'eno-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Encodes float samples in [-1, 1] as a 16-bit PCM WAV file (interleaved when stereo). */
export function wavBytes(samples: Float32Array, sampleRate: number, channels = 1): Buffer {
  const dataBytes = samples.length * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(channels, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * channels * 2, 28);
  buf.writeUInt16LE(channels * 2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) {
    const v = Math.max(-1, Math.min(1, samples[i]!));
    buf.writeInt16LE(Math.round(v * 32767), 44 + i * 2);
  }
  return buf;
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
