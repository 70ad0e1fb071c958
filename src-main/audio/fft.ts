// Power spectrum of real frames: a radix-2 complex FFT of half the frame length, with the standard
// split step that turns it into the spectrum of the real input. Float64 throughout.

/** Computes |X[k]|^2 for k = 0..n/2 of real frames of length n (a power of two, at least 4). */
export class RealPowerSpectrum {
  readonly bins: number;
  private readonly half: number;
  private readonly bitReverse: Uint32Array;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly splitCos: Float64Array;
  private readonly splitSin: Float64Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;

  constructor(readonly size: number) {
    if (size < 4 || (size & (size - 1)) !== 0) throw new Error(`FFT size must be a power of two >= 4, got ${size}`);
    const half = size / 2;
    this.half = half;
    this.bins = half + 1;
    this.re = new Float64Array(half);
    this.im = new Float64Array(half);
    this.bitReverse = new Uint32Array(half);
    const bits = Math.log2(half);
    for (let i = 0; i < half; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.bitReverse[i] = r;
    }
    // Twiddles of the half-size complex FFT.
    this.cos = new Float64Array(half / 2);
    this.sin = new Float64Array(half / 2);
    for (let i = 0; i < half / 2; i++) {
      this.cos[i] = Math.cos((2 * Math.PI * i) / half);
      this.sin[i] = -Math.sin((2 * Math.PI * i) / half);
    }
    // Twiddles of the split step, e^{-2 pi i k / n}.
    this.splitCos = new Float64Array(half + 1);
    this.splitSin = new Float64Array(half + 1);
    for (let k = 0; k <= half; k++) {
      this.splitCos[k] = Math.cos((2 * Math.PI * k) / size);
      this.splitSin[k] = -Math.sin((2 * Math.PI * k) / size);
    }
  }

  /** Writes the power spectrum of `frame` (length `size`) into `out` (length `bins`). */
  power(frame: Float64Array, out: Float64Array): void {
    const half = this.half;
    const re = this.re;
    const im = this.im;
    const rev = this.bitReverse;
    const cos = this.cos;
    const sin = this.sin;
    for (let i = 0; i < half; i++) {
      const j = rev[i]!;
      re[j] = frame[2 * i]!;
      im[j] = frame[2 * i + 1]!;
    }
    for (let len = 2; len <= half; len <<= 1) {
      const h = len >> 1;
      const step = (half / len) | 0;
      for (let k = 0; k < h; k++) {
        const wr = cos[k * step]!;
        const wi = sin[k * step]!;
        for (let a = k; a < half; a += len) {
          const b = a + h;
          const br = re[b]!;
          const bi = im[b]!;
          const xr = br * wr - bi * wi;
          const xi = br * wi + bi * wr;
          const ar = re[a]!;
          const ai = im[a]!;
          re[b] = ar - xr;
          im[b] = ai - xi;
          re[a] = ar + xr;
          im[a] = ai + xi;
        }
      }
    }
    // Split: X[k] = E[k] + W^k O[k], with E, O the spectra of the even and odd samples.
    const splitCos = this.splitCos;
    const splitSin = this.splitSin;
    for (let k = 0; k <= half; k++) {
      const k1 = k === half ? 0 : k;
      const k2 = k === 0 ? 0 : half - k;
      const zr = re[k1]!;
      const zi = im[k1]!;
      const cr = re[k2]!;
      const ci = -im[k2]!;
      const er = 0.5 * (zr + cr);
      const ei = 0.5 * (zi + ci);
      const orr = 0.5 * (zi - ci);
      const oi = -0.5 * (zr - cr);
      const wr = splitCos[k]!;
      const wi = splitSin[k]!;
      const xr = er + orr * wr - oi * wi;
      const xi = ei + orr * wi + oi * wr;
      out[k] = xr * xr + xi * xi;
    }
  }
}
