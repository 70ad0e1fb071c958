// Scores one new embedding with the stored learned tags, without a refit: what `eno tag --data-dir`
// adds to each record for a file it just tagged.
import type { Db } from '../library/store';
import { learnedTags } from './learned-store';
import { sigmoid } from './logistic';
import type { StoredClassifier } from './tag-learner';

/** A learned tag suggested for a file, as `eno tag` records it. */
export interface LearnedRecordTag {
  readonly tag: string;
  readonly score: number;
  readonly threshold: number;
  /** The tag's cross-validated precision at its threshold. */
  readonly precision: number;
  readonly source: 'learned';
}

/** The score of a stored classifier for one raw embedding. */
export function classifierScore(classifier: StoredClassifier, embedding: ArrayLike<number>): number {
  const d = classifier.mean.length;
  if (classifier.kind === 'logistic') {
    let z = classifier.bias;
    for (let j = 0; j < d; j++) z += (classifier.weights[j]! * (embedding[j]! - classifier.mean[j]!)) / classifier.scale[j]!;
    return sigmoid(z);
  }
  let dotp = 0;
  let norm = 0;
  let dn = 0;
  for (let j = 0; j < d; j++) {
    const v = (embedding[j]! - classifier.mean[j]!) / classifier.scale[j]!;
    dotp += v * classifier.direction[j]!;
    norm += v * v;
    dn += classifier.direction[j]! * classifier.direction[j]!;
  }
  return norm > 0 && dn > 0 ? (dotp / Math.sqrt(norm * dn) + 1) / 2 : 0.5;
}

/** The learned tags of a library, ready to score embeddings of one embedding space. */
export class LearnedScorer {
  private constructor(private readonly tags: ReadonlyArray<{ tag: string; space: string; classifier: StoredClassifier; threshold: number; precision: number }>) {}

  /** Reads the learned tags that are on and suggesting. */
  static fromStore(db: Db): LearnedScorer {
    return new LearnedScorer(
      learnedTags(db).flatMap((t) =>
        t.status === 'learned' && t.enabled && t.classifier && t.space && t.threshold !== null
          ? [{ tag: t.tag, space: t.space, classifier: t.classifier, threshold: t.threshold, precision: t.precision ?? 0 }]
          : [],
      ),
    );
  }

  /** The learned tags that suggest themselves for an embedding from `space`, best first. */
  suggest(space: string, embedding: ArrayLike<number>): LearnedRecordTag[] {
    const out: LearnedRecordTag[] = [];
    for (const t of this.tags) {
      if (t.space !== space || t.classifier.mean.length !== embedding.length) continue;
      const score = classifierScore(t.classifier, embedding);
      if (score >= t.threshold) out.push({ tag: t.tag, score: Number(score.toFixed(4)), threshold: Number(t.threshold.toFixed(4)), precision: Number(t.precision.toFixed(3)), source: 'learned' });
    }
    return out.sort((a, b) => b.score - a.score);
  }
}
