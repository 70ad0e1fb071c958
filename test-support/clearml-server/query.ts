// The `get_all` query language of the server, as far as clients of this app and the SDK use it:
// id/name/project/status/type filters, tag expressions, hidden objects, ordering, paging and
// field projection.
import { ApiError, isObject, optBool, optNumber, optStrings, optString, type Json, type JsonObject } from './api-error';
import { clone, getPath, setPath } from './state';

/**
 * Tag expression semantics: terms are OR-ed unless "__$all" switches to AND ("__$any" switches
 * back); "-tag" and "__$not" followed by a tag exclude; every exclusion must hold.
 */
export function tagsMatch(tags: readonly string[], filter: readonly string[]): boolean {
  const include: string[] = [];
  const exclude: string[] = [];
  let all = false;
  let negateNext = false;
  for (const term of filter) {
    if (term === '__$all') all = true;
    else if (term === '__$any') all = false;
    else if (term === '__$not') negateNext = true;
    else {
      const negated = negateNext || (term.startsWith('-') && term.length > 1);
      const tag = !negateNext && term.startsWith('-') ? term.slice(1) : term;
      (negated ? exclude : include).push(tag);
      negateNext = false;
    }
  }
  if (exclude.some((t) => tags.includes(t))) return false;
  if (include.length === 0) return true;
  return all ? include.every((t) => tags.includes(t)) : include.some((t) => tags.includes(t));
}

function stringsOf(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function compileRegex(pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'i');
  } catch {
    throw new ApiError(400, 21, `Malformed regular expression (${pattern})`);
  }
}

function compare(a: Json | undefined, b: Json | undefined): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

/** Filters of one get_all call, read and type-checked from the request body. */
export function filterDocs(docs: Iterable<JsonObject>, body: JsonObject, equalityFields: readonly string[]): JsonObject[] {
  const ids = optStrings(body, 'id');
  const name = optString(body, 'name');
  const nameRegex = name !== undefined ? compileRegex(name) : undefined;
  const tags = optStrings(body, 'tags');
  const systemTags = optStrings(body, 'system_tags');
  const searchHidden = optBool(body, 'search_hidden') ?? false;
  const equality = equalityFields.map((field) => [field, optStrings(body, field)] as const);
  const out: JsonObject[] = [];
  for (const doc of docs) {
    if (ids && !ids.includes(doc.id as string)) continue;
    if (nameRegex && !nameRegex.test(String(doc.name ?? ''))) continue;
    const docSystemTags = stringsOf(doc.system_tags);
    if (!searchHidden && docSystemTags.includes('hidden')) continue;
    if (tags && !tagsMatch(stringsOf(doc.tags), tags)) continue;
    if (systemTags && !tagsMatch(docSystemTags, systemTags)) continue;
    let ok = true;
    for (const [field, wanted] of equality) {
      if (!wanted) continue;
      const value = getPath(doc, field);
      const values = Array.isArray(value) ? value.map(String) : [String(value ?? '')];
      if (!wanted.some((w) => values.includes(w))) ok = false;
    }
    if (ok) out.push(doc);
  }
  return out;
}

/** Like a database projection: existing parent objects of a missing leaf appear, empty. */
function projectParents(doc: JsonObject, projected: JsonObject, field: string): void {
  const parts = field.split('.');
  for (let depth = 1; depth < parts.length; depth++) {
    const path = parts.slice(0, depth).join('.');
    if (!isObject(getPath(doc, path))) return;
    if (getPath(projected, path) === undefined) setPath(projected, path, {});
  }
}

/** Applies order_by, paging and only_fields to filtered documents. */
export function shapeResults(docs: JsonObject[], body: JsonObject): JsonObject[] {
  const orderBy = optStrings(body, 'order_by') ?? [];
  const sorted = [...docs];
  if (orderBy.length > 0) {
    sorted.sort((x, y) => {
      for (const key of orderBy) {
        const desc = key.startsWith('-');
        const field = key.replace(/^[-+]/, '');
        const c = compare(getPath(x, field), getPath(y, field));
        if (c !== 0) return desc ? -c : c;
      }
      return 0;
    });
  }
  const page = optNumber(body, 'page');
  const pageSize = optNumber(body, 'page_size');
  let paged = sorted;
  if (page !== undefined || pageSize !== undefined) {
    if (page === undefined || pageSize === undefined) {
      throw new ApiError(400, 12, 'Validation error (page and page_size must be given together)');
    }
    paged = sorted.slice(page * pageSize, (page + 1) * pageSize);
  }
  const onlyFields = optStrings(body, 'only_fields');
  return paged.map((doc) => {
    if (!onlyFields || onlyFields.length === 0) return clone(doc);
    const projected: JsonObject = { id: doc.id as string };
    for (const field of onlyFields) {
      const value = getPath(doc, field);
      if (value !== undefined) setPath(projected, field, clone(value));
      else projectParents(doc, projected, field);
    }
    return projected;
  });
}
