// Tags one file end to end and returns a record: either the tags or a one-line reason, never a
// thrown error for a problem with the file itself.
import { DecodeError } from '../audio/decode';
import type { TaggingEngine, TrackAnalysis } from '../inference/engine';
import { patchSeconds } from '../inference/manifest';
import type { ExecutionProviderName } from '../inference/worker-protocol';
import { tagsAboveThreshold, topTags, trackScores, type ScoredTag, type TagsByCategory } from './summarize';

export interface TaggedTrack {
  readonly status: 'ok';
  readonly file: string;
  readonly durationSec: number;
  readonly modelId: string;
  readonly modelVersion: string;
  readonly provider: ExecutionProviderName;
  readonly patches: number;
  /** The model's tag names, in the order of `scores` and of the taggram's columns. */
  readonly tagNames: readonly string[];
  /** patches x tags, row-major, in the manifest's tag order. */
  readonly taggram: Float32Array;
  /** Mean over patches, in the manifest's tag order. */
  readonly scores: Float64Array;
  readonly embedding: Float32Array;
  /** Tags above their thresholds, per category. */
  readonly tags: TagsByCategory;
  /** All tags, best first. */
  readonly ranked: readonly ScoredTag[];
  readonly peaks: Float32Array;
  readonly warnings: readonly string[];
}

export interface FailedTrack {
  readonly status: 'error';
  readonly file: string;
  readonly reason: string;
}

export type TagOutcome = TaggedTrack | FailedTrack;

export interface TagFileOptions {
  readonly signal?: AbortSignal;
  readonly peaksPerSecond?: number;
  /** Provisional tags from the part of a long track analysed so far (no peaks, no warnings). */
  readonly onPartial?: (partial: TaggedTrack) => void;
}

/** Below this RMS level (about -80 dBFS) the audio is treated as silence. */
const SILENCE_RMS = 1e-4;

/** Tags a file; problems with the file come back as a FailedTrack. */
export async function tagFile(engine: TaggingEngine, file: string, options: TagFileOptions = {}): Promise<TagOutcome> {
  const onPartial = options.onPartial;
  let analysis;
  try {
    analysis = await engine.analyze(file, {
      signal: options.signal,
      peaksPerSecond: options.peaksPerSecond,
      onPartial: onPartial
        ? (p) => onPartial(tagged(engine, file, { ...p, peaks: new Float32Array(0), warnings: [], rms: 1 }))
        : undefined,
    });
  } catch (error) {
    if (error instanceof DecodeError) return { status: 'error', file, reason: error.reason };
    throw error;
  }
  return tagged(engine, file, analysis);
}

/** The record for an analysis: scores, tags above threshold and the full ranking. */
function tagged(engine: TaggingEngine, file: string, analysis: TrackAnalysis): TaggedTrack {
  const manifest = engine.bundle.manifest;
  const scores = trackScores(analysis.taggram, manifest.tags.length);
  const warnings = [...analysis.warnings];
  if (analysis.rms < SILENCE_RMS) warnings.push('the audio is silent or nearly silent; its tags are not meaningful');
  const clipSec = patchSeconds(manifest);
  if (analysis.durationSec < clipSec) {
    warnings.push(`shorter than the model's ${clipSec.toFixed(1)} s window; the audio was repeated to fill it`);
  }
  return {
    status: 'ok',
    file,
    durationSec: analysis.durationSec,
    modelId: manifest.id,
    modelVersion: manifest.version,
    provider: engine.provider,
    patches: analysis.patches,
    tagNames: manifest.tags.map((t) => t.name),
    taggram: analysis.taggram,
    scores,
    embedding: analysis.embedding,
    tags: tagsAboveThreshold(manifest.tags, scores),
    ranked: topTags(manifest.tags, scores, manifest.tags.length),
    peaks: analysis.peaks,
    warnings,
  };
}
