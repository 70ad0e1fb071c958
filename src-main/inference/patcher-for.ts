// The front end a manifest describes: log-mel patches cut from one spectrogram, log-mel windows of
// audio, or raw waveform patches.
import { LogMelPatcher } from '../audio/logmel';
import type { Patcher } from '../audio/patcher';
import { WaveformPatcher } from '../audio/waveform-patcher';
import { WindowLogMelPatcher } from '../audio/window-logmel';
import { audioWindowingOf, logMelSpecOf, type ModelManifest } from './manifest';

/** A patcher computing the model input the manifest asks for; patches go to `onPatch`. */
export function patcherFor(manifest: ModelManifest, onPatch: (patch: Float32Array, index: number) => void): Patcher {
  const input = manifest.input;
  if (input.kind === 'waveform') return new WaveformPatcher(input.patch_samples, onPatch);
  const windowing = audioWindowingOf(manifest);
  if (windowing) return new WindowLogMelPatcher(logMelSpecOf(manifest)!, windowing, onPatch);
  return new LogMelPatcher(logMelSpecOf(manifest)!, onPatch);
}
