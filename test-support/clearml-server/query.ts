// The `get_all` query language of the server, as far as clients of this app and the SDK use it:
// id/name/project/status/type filters, tag expressions, hidden objects, ordering, paging and
// field projection.
import { ApiError, isObject, optBool, optNumber, optStrings, optString, type Json, type JsonObject } from './api-error';
import { clone, getPath, setPath } from './state';

/**
 * Tag expressions as the server reads them (GetMixin.NewListFieldBucketHelper in
 * apiserver/database/model/base.py): terms are OR-ed ("in") until "__$all"/"__$and" switches to AND
 * ("all") or "__$any"/"__$or" back; "__$not" before a term and, until the first such operator, a
 * leading "-" exclude it ("nin"). The first operator seen (default AND) joins the resulting groups.
 */
export function tagsMatch(tags: readonly string[], filter: readonly string[]): boolean {
  const groups = { in: [] as string[], all: [] as string[], nin: [] as string[] };
  let context: 'or' | 'and' = 'or';
  let global: 'or' | 'and' | undefined;
  let legacy = true;
  let negateNext = false;
  for (const term of filter) {
    if (term === '__$not') negateNext = true;
    else if (term === '__$nop') {
      context = 'or';
      legacy = true;
    } else if (['__$all', '__$and', '__$any', '__$or'].includes(term)) {
      context = term === '__$all' || term === '__$and' ? 'and' : 'or';
      global ??= context;
      legacy = false;
    } else {
      const exclude = negateNext || (legacy && term.startsWith('-') && term.length > 1);
      const tag = !negateNext && exclude ? term.slice(1) : term;
      groups[exclude ? 'nin' : context === 'and' ? 'all' : 'in'].push(tag);
      negateNext = false;
    }
  }
  const checks: boolean[] = [];
  if (groups.in.length > 0) checks.push(groups.in.some((t) => tags.includes(t)));
  if (groups.all.length > 0) checks.push(groups.all.every((t) => tags.includes(t)));
  if (groups.nin.length > 0) checks.push(!groups.nin.some((t) => tags.includes(t)));
  if (checks.length === 0) return true;
  return (global ?? 'and') === 'and' ? checks.every(Boolean) : checks.some(Boolean);
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
  // Hidden objects show when asked for, or when asked for by id (the server's _hidden_query).
  const searchHidden = (optBool(body, 'search_hidden') ?? false) || ids !== undefined;
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

/** The server's cap on one page of get_all results (services._mongo.max_page_size). */
export const MAX_PAGE_SIZE = 500;

/**
 * Applies order_by, paging and only_fields to filtered documents. As the server does
 * (GetMixin.validate_paging): a page is at most `maxPageSize` documents, also when page_size asks
 * for more or is not given at all, and ordering ends with the id so pages never overlap.
 */
export function shapeResults(docs: JsonObject[], body: JsonObject, maxPageSize = MAX_PAGE_SIZE): JsonObject[] {
  const orderBy = [...(optStrings(body, 'order_by') ?? [])];
  if (orderBy.length > 0 && !orderBy.includes('id') && !orderBy.includes('-id')) orderBy.push('id');
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
  const page = optNumber(body, 'page') ?? 0;
  const pageSize = Math.min(optNumber(body, 'page_size') ?? maxPageSize, maxPageSize);
  if (page < 0) throw new ApiError(400, 12, 'Validation error (page must be >=0, field=page)');
  if (pageSize < 1) throw new ApiError(400, 12, 'Validation error (page_size must be >0, field=page_size)');
  const paged = sorted.slice(page * pageSize, (page + 1) * pageSize);
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
