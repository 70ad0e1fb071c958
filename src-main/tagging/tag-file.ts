// Tags one file end to end and returns a record: either the tags of every model of the set or a
// one-line reason, never a thrown error for a problem with the file itself.
import { DecodeError } from '../audio/decode';
import type { TaggingEngine, TrackAnalysis } from '../inference/engine';
import { patchHopSeconds, patchSeconds, type ModelBundle } from '../inference/manifest';
import type { ExecutionProviderName, ModelAnalysisData } from '../inference/worker-protocol';
import { judgeContent, type ContentVerdict } from './music-check';
import { tagsAboveThreshold, topTags, trackScores, type ScoredTag, type TagsByCategory } from './summarize';

/** What one model of the set said about a track. */
export interface ModelTagging {
  readonly modelId: string;
  readonly modelVersion: string;
  /** `exact`, or the reduced precision that ran (e.g. "int8"). */
  readonly precision: string;
  readonly patches: number;
  /** Seconds between the starts of consecutive taggram rows. */
  readonly patchSec: number;
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
  /** Mean activations of the model's music and speech classes, when it has them. */
  readonly detectors?: { readonly music: number; readonly speech: number | undefined };
}

/**
 * A tagged track: every model's result (`models`, in the set's order), whether it is music, and,
 * at the top level, the first model's fields for callers that use one model.
 */
export interface TaggedTrack extends ModelTagging {
  readonly status: 'ok';
  readonly file: string;
  readonly durationSec: number;
  readonly provider: ExecutionProviderName;
  readonly models: readonly ModelTagging[];
  /** Music or not, when a model of the set can tell. */
  readonly content: ContentVerdict | undefined;
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
export const SILENCE_RMS = 1e-4;

/** Tags a file; problems with the file come back as a FailedTrack. */
export async function tagFile(engine: TaggingEngine, file: string, options: TagFileOptions = {}): Promise<TagOutcome> {
  const onPartial = options.onPartial;
  let analysis;
  try {
    analysis = await engine.analyze(file, {
      signal: options.signal,
      peaksPerSecond: options.peaksPerSecond,
      onPartial: onPartial ? (p) => onPartial(tagged(engine, file, { ...p, peaks: new Float32Array(0), warnings: [], rms: 1 })) : undefined,
    });
  } catch (error) {
    if (error instanceof DecodeError) return { status: 'error', file, reason: error.reason };
    throw error;
  }
  return tagged(engine, file, analysis);
}

/** One model's scores, tags above threshold and full ranking. */
function modelTagging(bundle: ModelBundle, data: ModelAnalysisData): ModelTagging {
  const manifest = bundle.manifest;
  const scores = trackScores(data.taggram, manifest.tags.length);
  const nDetectors = manifest.detectors ? 1 + (manifest.detectors.speech ? 1 : 0) : 0;
  const detectorMeans = nDetectors > 0 && data.patches > 0 ? trackScores(data.detectors, nDetectors) : undefined;
  return {
    modelId: manifest.id,
    modelVersion: manifest.version,
    precision: bundle.precision,
    patches: data.patches,
    patchSec: patchHopSeconds(manifest),
    tagNames: manifest.tags.map((t) => t.name),
    taggram: data.taggram,
    scores,
    embedding: data.embedding,
    tags: tagsAboveThreshold(manifest.tags, scores),
    ranked: topTags(manifest.tags, scores, manifest.tags.length),
    ...(detectorMeans ? { detectors: { music: detectorMeans[0]!, speech: nDetectors > 1 ? detectorMeans[1]! : undefined } } : {}),
  };
}

/** The record for an analysis: every model's tags, the music verdict and the warnings. */
function tagged(engine: TaggingEngine, file: string, analysis: TrackAnalysis): TaggedTrack {
  const models = engine.bundles.map((bundle, i) => modelTagging(bundle, analysis.models[i]!));
  const warnings = [...analysis.warnings];
  if (analysis.rms < SILENCE_RMS) warnings.push('the audio is silent or nearly silent; its tags are not meaningful');
  const clipSec = patchSeconds(engine.bundle.manifest);
  if (analysis.durationSec < clipSec) {
    warnings.push(`shorter than the model's ${clipSec.toFixed(1)} s window; the audio was repeated to fill it`);
  }
  return {
    ...models[0]!,
    status: 'ok',
    file,
    durationSec: analysis.durationSec,
    provider: engine.provider,
    models,
    content: judgeContent(models, analysis.rms),
    peaks: analysis.peaks,
    warnings,
  };
}
