// log10(1 + C x) as musicnn's extractor computes it: float32 arithmetic, with the mel power rounded
// to float16 first (numpy's astype, ties to even), tabulated over the float16 values.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function roundHalfEven(v: number): number {
  const floor = Math.floor(v);
  const diff = v - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

const FLOAT16_MAX = 65504;

/**
 * Rounds a non-negative float32 value to the nearest float16 (ties to even), as numpy's astype does.
 * Values past the float16 range are clamped to its maximum rather than becoming infinite.
 */
export function roundToFloat16(x: number): number {
  if (!(x > 0)) return 0;
  if (x >= FLOAT16_MAX) return FLOAT16_MAX;
  f32[0] = x;
  const bits = u32[0]!;
  if (((bits >>> 23) & 0xff) < FLOAT16_MIN_NORMAL_EXP) {
    // float16 subnormals are multiples of 2^-24.
    return roundHalfEven(f32[0]! * 2 ** 24) / 2 ** 24;
  }
  u32[0] = roundToHalfBits(bits);
  return Math.min(f32[0]!, FLOAT16_MAX);
}

/** float32 exponent field of the smallest normal float16 (2^-14). */
const FLOAT16_MIN_NORMAL_EXP = 113;

/** The float32 bits of a normal value rounded to float16 precision (10 mantissa bits, ties to even). */
function roundToHalfBits(bits: number): number {
  const lower = bits & 0x1fff;
  let upper = bits - lower;
  if (lower > 0x1000 || (lower === 0x1000 && (bits & 0x2000) !== 0)) upper += 0x2000;
  return upper >>> 0;
}

/** log10(1 + C * x) of float32 mel power, as the model was trained on it. */
export class LogCompression {
  /** For float16-rounded inputs: the result for each normal float16 value, indexed by its bits. */
  private readonly table: Float32Array | undefined;

  constructor(
    private readonly scale: number,
    private readonly float16: boolean,
  ) {
    if (!float16) return;
    // Normal float16 values have float32 exponent fields 113..142 and 10 mantissa bits.
    this.table = new Float32Array(30 * 1024);
    for (let i = 0; i < this.table.length; i++) {
      u32[0] = ((i + (FLOAT16_MIN_NORMAL_EXP << 10)) << 13) >>> 0;
      this.table[i] = this.direct(f32[0]!);
    }
  }

  /** Float32 arithmetic throughout, as numpy does it on float32 arrays. */
  private direct(x: number): number {
    return Math.fround(Math.log10(Math.fround(Math.fround(this.scale * x) + 1)));
  }

  /** Compresses one float32 value. */
  apply(x: number): number {
    if (!this.table) return this.direct(x);
    if (!(x > 0)) return 0;
    if (x >= FLOAT16_MAX) return this.direct(FLOAT16_MAX);
    f32[0] = x;
    const bits = u32[0]!;
    if (((bits >>> 23) & 0xff) < FLOAT16_MIN_NORMAL_EXP) return this.direct(roundToFloat16(x));
    const index = (roundToHalfBits(bits) >>> 13) - (FLOAT16_MIN_NORMAL_EXP << 10);
    return index < this.table.length ? this.table[index]! : this.direct(FLOAT16_MAX);
  }
}

