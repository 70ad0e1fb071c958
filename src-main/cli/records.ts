// The serialisable form of a tagging outcome, shared by the JSONL, CSV and table outputs. A track
// tagged by a set of models holds each model's results under its id; every tag names its model.
import type { TagCategory } from '../inference/manifest';
import type { ModelTagging, TagOutcome } from '../tagging/tag-file';

export interface TagRef {
  readonly tag: string;
  readonly score: number;
  /** Id of the model the tag came from. */
  readonly model: string;
}

/** What one model of the set said. */
export interface ModelRecord {
  readonly version: string;
  /** `exact`, or the reduced precision that ran. */
  readonly precision: string;
  readonly patches: number;
  /** Seconds between the starts of taggram rows. */
  readonly patch_sec: number;
  /** The K best tags of this model. */
  readonly top: ReadonlyArray<Omit<TagRef, 'model'> & { readonly category: TagCategory }>;
  /** Track score of every tag (mean over patches). */
  readonly scores: Readonly<Record<string, number>>;
  /** Per-patch activations, one row per patch, columns in the order of `scores`. */
  readonly taggram: ReadonlyArray<readonly number[]>;
  /** Mean embedding over patches. */
  readonly embedding: readonly number[];
}

/** Music or not, from the model of the set that can tell. */
export interface MusicRecord {
  readonly verdict: 'music' | 'not music';
  readonly music: number;
  readonly speech: number | null;
  readonly level_db: number | null;
  readonly model: string;
}

export interface OkRecord {
  readonly file: string;
  readonly status: 'ok';
  readonly duration_sec: number;
  readonly provider: string;
  /** Music or not; null when no model of the set can tell. */
  readonly music: MusicRecord | null;
  /** The K best tags of any model and category. */
  readonly top: ReadonlyArray<TagRef & { readonly category: TagCategory }>;
  /** Tags at or above their thresholds, per category, from every model. */
  readonly tags: Readonly<Record<TagCategory, readonly TagRef[]>>;
  /** Each model's results, by model id, in the order of the set. */
  readonly models: Readonly<Record<string, ModelRecord>>;
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

function modelRecord(m: ModelTagging, topK: number): ModelRecord {
  const nTags = m.tagNames.length;
  const scores: Record<string, number> = {};
  m.tagNames.forEach((name, i) => (scores[name] = round(m.scores[i]!)));
  const taggram: number[][] = [];
  for (let p = 0; p < m.patches; p++) taggram.push(Array.from(m.taggram.subarray(p * nTags, (p + 1) * nTags), (v) => round(v)));
  return {
    version: m.modelVersion,
    precision: m.precision,
    patches: m.patches,
    patch_sec: round(m.patchSec, 4),
    top: m.ranked.slice(0, topK).map((t) => ({ tag: t.name, score: round(t.score, 4), category: t.category })),
    scores,
    taggram,
    embedding: Array.from(m.embedding, (v) => round(v)),
  };
}

/** Converts an outcome to its record; `topK` bounds the `top` lists. */
export function toRecord(outcome: TagOutcome, topK: number): TagRecord {
  if (outcome.status === 'error') return { file: outcome.file, status: 'error', reason: outcome.reason };
  const tags: Record<string, TagRef[]> = {};
  for (const m of outcome.models) {
    for (const [category, list] of Object.entries(m.tags)) {
      (tags[category] ??= []).push(...list.map((t) => ({ tag: t.name, score: round(t.score, 4), model: m.modelId })));
    }
  }
  for (const list of Object.values(tags)) list.sort((a, b) => b.score - a.score);
  const top = outcome.models
    .flatMap((m) => m.ranked.slice(0, topK).map((t) => ({ tag: t.name, score: round(t.score, 4), category: t.category, model: m.modelId })))
    .sort((a, b) => b.score - a.score)
    .slice(0, topK);
  const c = outcome.content;
  return {
    file: outcome.file,
    status: 'ok',
    duration_sec: round(outcome.durationSec, 3),
    provider: outcome.provider,
    music: c
      ? {
          verdict: c.verdict,
          music: round(c.music, 4),
          speech: c.speech === undefined ? null : round(c.speech, 4),
          level_db: Number.isFinite(c.levelDb) ? round(c.levelDb, 1) : null,
          model: c.modelId,
        }
      : null,
    top,
    tags: tags as Record<TagCategory, TagRef[]>,
    models: Object.fromEntries(outcome.models.map((m) => [m.modelId, modelRecord(m, topK)])),
    warnings: outcome.warnings,
  };
}
