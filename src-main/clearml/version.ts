// Dataset version strings as the SDK treats them: PEP 440-style release numbers ("1.0.0") compare
// numerically, anything else is accepted but never wins "highest version"; the next version bumps
// the last number.

const RELEASE = /^v?(\d+(?:\.\d+)*)(?:[-_.]?(?:a|b|rc|alpha|beta|pre|post|dev)\.?\d*)*(?:\+[a-z0-9.]+)?$/i;

/** True for a version the SDK would compare (e.g. "1.0.0", "2.1", "1.0.0rc1"). */
export function isValidVersion(version: string | null | undefined): version is string {
  return typeof version === 'string' && RELEASE.test(version.trim());
}

function release(version: string): number[] {
  return RELEASE.exec(version.trim())![1]!.split('.').map(Number);
}

/** Negative, zero or positive as `a` is lower than, equal to or higher than `b` (release numbers only). */
export function compareVersions(a: string, b: string): number {
  const x = release(a);
  const y = release(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** "1.0.0" -> "1.0.1"; an invalid or missing version starts at "1.0.0". */
export function nextVersion(previous: string | null | undefined): string {
  if (!isValidVersion(previous)) return '1.0.0';
  const parts = release(previous);
  while (parts.length < 3) parts.push(0);
  parts[parts.length - 1]! += 1;
  return parts.join('.');
}

/** The entry `Dataset.get` would pick: highest valid version, ties and invalid ones by newest update. */
export function newestVersion<T extends { readonly version: string | null; readonly lastUpdate: string }>(items: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const item of [...items].sort((a, b) => (a.lastUpdate < b.lastUpdate ? 1 : -1))) {
    if (!best) best = item;
    else if (isValidVersion(item.version) && (!isValidVersion(best.version) || compareVersions(best.version, item.version) < 0)) best = item;
  }
  return best;
}
