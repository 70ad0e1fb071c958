// The serialisable form of a tagging outcome, shared by the JSONL, CSV and table outputs.
import type { TagOutcome } from '../tagging/tag-file';
import type { TagCategory } from '../inference/manifest';

export interface TagRef {
  readonly tag: string;
  readonly score: number;
}

export interface OkRecord {
  readonly file: string;
  readonly status: 'ok';
  readonly duration_sec: number;
  readonly model: { readonly id: string; readonly version: string };
  readonly provider: string;
  readonly patches: number;
  /** The K best tags of any category. */
  readonly top: ReadonlyArray<TagRef & { readonly category: TagCategory }>;
  /** Tags at or above their thresholds, per category. */
  readonly tags: Readonly<Record<TagCategory, readonly TagRef[]>>;
  /** Track score of every tag (mean over patches). */
  readonly scores: Readonly<Record<string, number>>;
  /** Per-patch activations, one row per patch, columns in the order of `scores`. */
  readonly taggram: ReadonlyArray<readonly number[]>;
  /** Mean penultimate-layer embedding. */
  readonly embedding: readonly number[];
  readonly warnings: readonly string[];
  /** With --data-dir: tags learned in that library that suggest themselves for the file. */
  readonly learned?: ReadonlyArray<{ readonly tag: string; readonly score: number; readonly threshold: number; readonly precision: number; readonly source: 'learned' }>;
}

export interface ErrorRecord {
  readonly file: string;
  readonly status: 'error';
  readonly reason: string;
}

export type TagRecord = OkRecord | ErrorRecord;

const round = (x: number, digits = 5): number => Number(x.toFixed(digits));

/** Converts an outcome to its record; `topK` bounds the `top` list. */
export function toRecord(outcome: TagOutcome, topK: number): TagRecord {
  if (outcome.status === 'error') return { file: outcome.file, status: 'error', reason: outcome.reason };
  const nTags = outcome.tagNames.length;
  const scores: Record<string, number> = {};
  outcome.tagNames.forEach((name, i) => (scores[name] = round(outcome.scores[i]!)));
  const taggram: number[][] = [];
  for (let p = 0; p < outcome.patches; p++) {
    taggram.push(Array.from(outcome.taggram.subarray(p * nTags, (p + 1) * nTags), (v) => round(v)));
  }
  const tags = Object.fromEntries(
    Object.entries(outcome.tags).map(([category, list]) => [category, list.map((t) => ({ tag: t.name, score: round(t.score, 4) }))]),
  ) as Record<TagCategory, TagRef[]>;
  return {
    file: outcome.file,
    status: 'ok',
    duration_sec: round(outcome.durationSec, 3),
    model: { id: outcome.modelId, version: outcome.modelVersion },
    provider: outcome.provider,
    patches: outcome.patches,
    top: outcome.ranked.slice(0, topK).map((t) => ({ tag: t.name, score: round(t.score, 4), category: t.category })),
    tags,
    scores,
    taggram,
    embedding: Array.from(outcome.embedding, (v) => round(v)),
    warnings: outcome.warnings,
  };
}
