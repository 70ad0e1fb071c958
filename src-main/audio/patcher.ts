// The common shape of model front ends: PCM in, fixed-size model input patches out.

/** Cuts a PCM stream into model input patches; see LogMelPatcher and WaveformPatcher. */
export interface Patcher {
  /** Adds samples and emits every patch they complete. */
  push(samples: Float32Array): void;
  /** Emits what the end of the stream completes, including the padded patch of a short clip. */
  end(): void;
  readonly samples: number;
  readonly patches: number;
}

/** Fills `patch` by repeating its first `filled` values, the rule for clips shorter than a patch. */
export function repeatPad(patch: Float32Array, filled: number): void {
  if (filled <= 0) return;
  for (let offset = filled; offset < patch.length; offset += filled) {
    patch.copyWithin(offset, 0, Math.min(filled, patch.length - offset));
  }
}
