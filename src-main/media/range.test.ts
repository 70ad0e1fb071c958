import { describe, expect, it } from 'vitest';
import { audioContentType, parseRange } from './range';

describe('parseRange', () => {
  it('reads single byte ranges, open ends and suffixes', () => {
    expect(parseRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=500-', 1000)).toEqual({ start: 500, end: 999 });
    expect(parseRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseRange('bytes=900-5000', 1000)).toEqual({ start: 900, end: 999 });
  });

  it('serves the whole file for absent or unsupported headers', () => {
    expect(parseRange(undefined, 10)).toBeNull();
    expect(parseRange('bytes=0-1,5-6', 10)).toBeNull();
    expect(parseRange('items=0-1', 10)).toBeNull();
  });

  it('rejects ranges outside the file', () => {
    expect(parseRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=5-2', 1000)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 1000)).toBe('unsatisfiable');
  });
});

describe('audioContentType', () => {
  it('maps audio extensions', () => {
    expect(audioContentType('/a/b.MP3')).toBe('audio/mpeg');
    expect(audioContentType('x.flac')).toBe('audio/flac');
    expect(audioContentType('x.bin')).toBe('application/octet-stream');
  });
});
