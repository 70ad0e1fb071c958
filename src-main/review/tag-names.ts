// How a tag a person typed is spelled in the store: the same tag typed twice must be one tag, and a
// model tag typed in another case ("mellow" for "Mellow") must be the model's tag, or its
// predictions and the correction would never meet.

/**
 * Trims, collapses inner whitespace and, when it matches a known tag ignoring case, takes its
 * spelling. A known tag spelled exactly as typed wins: two models of a set may know the same word in
 * two cases (musicnn's "jazz", AudioSet's "Jazz"), and each is a tag of its own.
 */
export function canonicalTag(typed: string, known: Iterable<string>): string {
  const cleaned = typed.trim().replace(/\s+/g, ' ');
  const folded = cleaned.toLocaleLowerCase('en');
  let match: string | undefined;
  for (const tag of known) {
    if (tag === cleaned) return tag;
    if (match === undefined && tag.toLocaleLowerCase('en') === folded) match = tag;
  }
  return match ?? cleaned;
}
