// "More like this": the tracks nearest to one track (or to an embedding) by cosine similarity of
// their standardised embeddings, one pass over the library's unit-length rows.
import type { EmbeddingIndex } from './embedding-index';

/** A neighbour and how alike it is (cosine, 1 = the same direction). */
export interface Neighbour {
  readonly trackId: number;
  readonly score: number;
}

/** The `limit` most similar tracks to a unit-length query row, best first, leaving out `exclude`. */
export function nearest(index: EmbeddingIndex, query: Float32Array, limit: number, exclude?: number): Neighbour[] {
  const { n, d, trackIds } = index;
  const unit = index.unit();
  // A small sorted list of the best so far (limit is at most a few hundred).
  const bestScore: number[] = [];
  const bestRow: number[] = [];
  for (let i = 0; i < n; i++) {
    if (trackIds[i] === exclude) continue;
    let s = 0;
    const base = i * d;
    for (let j = 0; j < d; j++) s += unit[base + j]! * query[j]!;
    if (bestScore.length === limit && s <= bestScore[limit - 1]!) continue;
    let at = bestScore.length;
    while (at > 0 && bestScore[at - 1]! < s) at--;
    bestScore.splice(at, 0, s);
    bestRow.splice(at, 0, i);
    if (bestScore.length > limit) {
      bestScore.pop();
      bestRow.pop();
    }
  }
  return bestRow.map((row, k) => ({ trackId: trackIds[row]!, score: bestScore[k]! }));
}

/** The unit-length query row of a track of the index; undefined when it has no embedding there. */
export function queryOfTrack(index: EmbeddingIndex, trackId: number): Float32Array | undefined {
  const row = index.row(trackId);
  if (row === undefined) return undefined;
  return index.unit().slice(row * index.d, (row + 1) * index.d);
}

/** The unit-length query row of a raw embedding (a file outside the library, tagged just now). */
export function queryOfEmbedding(index: EmbeddingIndex, embedding: ArrayLike<number>): Float32Array {
  const { d } = index;
  if (embedding.length !== d) throw new Error(`the embedding has ${embedding.length} values; the library's space (${index.space}) has ${d}`);
  const { mean, scale } = index.standardiser;
  const q = new Float32Array(d);
  let norm = 0;
  for (let j = 0; j < d; j++) {
    q[j] = (embedding[j]! - mean[j]!) / scale[j]!;
    norm += q[j]! * q[j]!;
  }
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let j = 0; j < d; j++) q[j]! *= inv;
  return q;
}
