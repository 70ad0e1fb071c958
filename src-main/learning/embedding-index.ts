// The library's embeddings in one embedding space, as one float matrix: what learned tags are fitted
// on and predicted over, and what "more like this" searches. A space is one model's embedding, or
// several models' side by side; tracks missing any of them are left out, so embeddings of different
// backbones are never mixed.

/** Which models' embeddings a space holds, in order: one key, or keys joined by '+'. */
export type SpaceKey = string;

/** The model keys of a space. */
export function spaceModels(space: SpaceKey): string[] {
  return space.split('+');
}

/** Per-dimension mean and scale (standard deviation, 1 where a dimension is constant). */
export interface Standardiser {
  readonly mean: Float64Array;
  readonly scale: Float64Array;
}

/** Computes the standardiser of the rows of a matrix. */
export function standardiserOf(rows: Float32Array, n: number, d: number): Standardiser {
  const mean = new Float64Array(d);
  const scale = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += rows[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= Math.max(1, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = rows[i * d + j]! - mean[j]!;
      scale[j]! += v * v;
    }
  }
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt(scale[j]! / Math.max(1, n));
    scale[j] = sd > 1e-8 ? sd : 1;
  }
  return { mean, scale };
}

/** Embeddings of the library's tracks in one space. */
export class EmbeddingIndex {
  private readonly rowOf = new Map<number, number>();
  private unitRows: Float32Array | null = null;
  readonly standardiser: Standardiser;

  /**
   * `trackIds[i]` owns row i of `rows` (n x d, row-major). The standardiser is the library's own
   * (computed over every row), so a learned tag and "more like this" see the same features.
   */
  constructor(
    readonly space: SpaceKey,
    readonly trackIds: Int32Array,
    readonly rows: Float32Array,
    readonly d: number,
    /** Identifies the state of the store the index was read from (changes when predictions do). */
    readonly generation: string,
  ) {
    trackIds.forEach((id, i) => this.rowOf.set(id, i));
    this.standardiser = standardiserOf(rows, trackIds.length, d);
  }

  get n(): number {
    return this.trackIds.length;
  }

  /** The row of a track, or undefined when it has no embedding in this space. */
  row(trackId: number): number | undefined {
    return this.rowOf.get(trackId);
  }

  /** Standardised features of the given rows, as one n x d matrix. */
  standardisedRows(rowIndexes: readonly number[], standardiser: Standardiser = this.standardiser): Float32Array {
    const { d } = this;
    const out = new Float32Array(rowIndexes.length * d);
    rowIndexes.forEach((r, i) => {
      for (let j = 0; j < d; j++) out[i * d + j] = (this.rows[r * d + j]! - standardiser.mean[j]!) / standardiser.scale[j]!;
    });
    return out;
  }

  /**
   * Standardised, unit-length rows for cosine similarity (built on first use, then kept): centring
   * matters, as raw embeddings all point the same way and every pair looks alike.
   */
  unit(): Float32Array {
    if (this.unitRows) return this.unitRows;
    const { d, n } = this;
    const all = Array.from({ length: n }, (_, i) => i);
    const out = this.standardisedRows(all);
    for (let i = 0; i < n; i++) {
      let norm = 0;
      for (let j = 0; j < d; j++) norm += out[i * d + j]! * out[i * d + j]!;
      const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
      for (let j = 0; j < d; j++) out[i * d + j]! *= inv;
    }
    this.unitRows = out;
    return out;
  }
}
