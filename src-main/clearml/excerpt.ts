// The optional audio excerpt of a corrected track: 30 seconds from the middle, 16 kHz mono, written
// as a 16-bit PCM WAV so any training tool can read it.
import { promises as fs } from 'node:fs';
import { decodePcm } from '../audio/decode';
import { wavBytes } from '../audio/wav';

export const EXCERPT_SAMPLE_RATE = 16_000;

/**
 * Decodes `seconds` of audio centred on the middle of the track and writes it as a WAV at
 * `destPath`; when the track is shorter than its stated duration implies, the last `seconds` that
 * exist are used instead (the whole track when it is shorter). Throws DecodeError when the file
 * cannot be read.
 */
export async function writeExcerpt(
  audioPath: string,
  destPath: string,
  options: { readonly durationSec: number; readonly seconds?: number; readonly signal?: AbortSignal },
): Promise<void> {
  const seconds = options.seconds ?? 30;
  const want = Math.round(seconds * EXCERPT_SAMPLE_RATE);
  const startSample = Math.max(0, Math.round((options.durationSec / 2 - seconds / 2) * EXCERPT_SAMPLE_RATE));
  const window = new Float32Array(want);
  // The most recent `want` samples, in case the window starts past the real end of the audio.
  const tail = new Float32Array(want);
  let filled = 0;
  let position = 0;
  for await (const chunk of decodePcm(audioPath, { sampleRate: EXCERPT_SAMPLE_RATE, signal: options.signal })) {
    const from = Math.max(0, startSample - position);
    if (from < chunk.length) {
      const take = chunk.subarray(from, Math.min(chunk.length, from + want - filled));
      window.set(take, filled);
      filled += take.length;
    }
    for (let i = Math.max(0, chunk.length - want); i < chunk.length; i++) tail[(position + i) % want] = chunk[i]!;
    position += chunk.length;
    if (filled >= want) break; // stopping the iteration stops ffmpeg
  }
  let samples: Float32Array;
  if (filled >= want) samples = window;
  else {
    const n = Math.min(want, position);
    samples = new Float32Array(n);
    for (let i = 0; i < n; i++) samples[i] = tail[(position - n + i) % want]!;
  }
  await fs.writeFile(destPath, wavBytes(samples, EXCERPT_SAMPLE_RATE));
}
