// Corrections for upload: the tracks whose labels changed since the revision last uploaded, in the
// form the ClearML uploader consumes. Each snapshot is keyed `<hash>:<label_rev>`, so uploading the
// same state twice is recognisably the same record and a later change gets a new key.
import type { LabelState } from '../../src-preload/contract';
import { finalTags, predictedTagNames, type PredictedScore } from './final-tags';

/** One track's corrected tags, ready for a dataset version. */
export interface CorrectionForUpload {
  /** `${hash}:${label_rev}` */
  key: string;
  trackHash: string;
  artist: string | null;
  album: string | null;
  title: string | null;
  durationSec: number;
  finalTags: readonly string[];
  tagsAdded: readonly string[];
  tagsRemoved: readonly string[];
  /** Final tags a person made from the music file's own genre or mood values. */
  tagsFromFile: readonly string[];
  predictedScores: Readonly<Record<string, number>>;
  modelId: string;
  modelVersion: string;
  reviewedAt: string | null;
  embedding: Float32Array | null;
  audioPath: string | null;
  /** The learned tags this correction confirmed or rejected, with the score each had for the track. */
  learned: LearnedVerdict[];
}

/** A correction of a tag a learned classifier had scored on the track. */
export interface LearnedVerdict {
  readonly tag: string;
  readonly score: number;
  readonly verdict: 'confirmed' | 'rejected';
}

/** What the store knows about a track that the correction is made from. */
export interface CorrectionSource {
  readonly trackHash: string;
  readonly labelRev: number;
  readonly artist: string | null;
  readonly album: string | null;
  readonly title: string | null;
  readonly durationSec: number | null;
  /** Every tag of the prediction the labels were made against; empty when there is none. */
  readonly predicted: readonly PredictedScore[];
  readonly labels: ReadonlyMap<string, LabelState>;
  readonly modelId: string | null;
  readonly modelVersion: string | null;
  readonly reviewedAt: string | null;
  readonly embedding: Float32Array | null;
  readonly audioPath: string | null;
  /** Labels made from the music file's own values, lower case (absent: none). */
  readonly fromFile?: ReadonlySet<string>;
  /** Labels made on a tag a learned classifier had scored: the score it had (labels.learned_score). */
  readonly learnedScores?: ReadonlyMap<string, number>;
}

/**
 * Whether a track has something to upload: its labels changed since the uploaded revision, and it
 * carries a person's judgement (a label or a review mark) or a judgement already uploaded was
 * withdrawn (the dataset must learn that too).
 */
export function needsUpload(t: {
  readonly labelRev: number;
  readonly uploadedRev: number;
  readonly labelCount: number;
  readonly reviewed: boolean;
}): boolean {
  if (t.labelRev <= t.uploadedRev) return false;
  return t.labelCount > 0 || t.reviewed || t.uploadedRev > 0;
}

/** The key of a track's snapshot at a revision. */
export function correctionKey(hash: string, labelRev: number): string {
  return `${hash}:${labelRev}`;
}

/** Splits a correction key; null when it is not one. */
export function parseCorrectionKey(key: string): { hash: string; labelRev: number } | null {
  const m = /^([0-9a-f]{64}):(\d+)$/.exec(key);
  return m ? { hash: m[1]!, labelRev: Number(m[2]) } : null;
}

/** Builds the upload record of one track. */
export function toCorrection(s: CorrectionSource): CorrectionForUpload {
  const final = finalTags(s.predicted, s.labels).map((t) => t.tag);
  const predicted = new Set(predictedTagNames(s.predicted));
  const finalSet = new Set(final);
  const predictedScores: Record<string, number> = {};
  for (const p of s.predicted) predictedScores[p.tag] = p.score;
  return {
    key: correctionKey(s.trackHash, s.labelRev),
    trackHash: s.trackHash,
    artist: s.artist,
    album: s.album,
    title: s.title,
    durationSec: s.durationSec ?? 0,
    finalTags: final,
    tagsAdded: final.filter((t) => !predicted.has(t)),
    tagsRemoved: [...predicted].filter((t) => !finalSet.has(t)),
    tagsFromFile: final.filter((t) => s.fromFile?.has(t.toLocaleLowerCase('en'))),
    predictedScores,
    modelId: s.modelId ?? '',
    modelVersion: s.modelVersion ?? '',
    reviewedAt: s.reviewedAt,
    embedding: s.embedding,
    audioPath: s.audioPath,
    learned: [...(s.learnedScores ?? new Map<string, number>())]
      .filter(([tag]) => s.labels.has(tag))
      .map(([tag, score]) => ({ tag, score, verdict: s.labels.get(tag) === 'rejected' ? ('rejected' as const) : ('confirmed' as const) }))
      .sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0)),
  };
}
