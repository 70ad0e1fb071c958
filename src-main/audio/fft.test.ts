import { describe, expect, it } from 'vitest';
import { RealPowerSpectrum } from './fft';

/** Direct O(n^2) DFT power, the definition the FFT must match. */
function naivePower(x: number[]): number[] {
  const n = x.length;
  const out: number[] = [];
  for (let k = 0; k <= n / 2; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      re += x[t]! * Math.cos((2 * Math.PI * k * t) / n);
      im -= x[t]! * Math.sin((2 * Math.PI * k * t) / n);
    }
    out.push(re * re + im * im);
  }
  return out;
}

describe('RealPowerSpectrum', () => {
  it.each([4, 8, 64, 512])('matches the direct DFT for size %i', (size) => {
    let seed = 12345;
    const rand = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31 - 0.5;
    };
    const x = Array.from({ length: size }, rand);
    const fft = new RealPowerSpectrum(size);
    const out = new Float64Array(fft.bins);
    fft.power(Float64Array.from(x), out);
    const expected = naivePower(x);
    expect(out.length).toBe(size / 2 + 1);
    expected.forEach((v, k) => expect(out[k]).toBeCloseTo(v, 8));
  });

  it('puts a pure tone in its bin', () => {
    const n = 512;
    const x = Array.from({ length: n }, (_, t) => Math.cos((2 * Math.PI * 32 * t) / n));
    const fft = new RealPowerSpectrum(n);
    const out = new Float64Array(fft.bins);
    fft.power(Float64Array.from(x), out);
    expect(out[32]).toBeCloseTo((n / 2) ** 2, 6);
    expect(out[31]).toBeLessThan(1e-12);
  });

  it('rejects sizes that are not powers of two', () => {
    expect(() => new RealPowerSpectrum(500)).toThrow(/power of two/);
  });
});
