// A HOCON reader sufficient for real clearml.conf files: nested objects, dotted keys, `=`/`:`/none
// before an object, `#` and `//` comments, quoted, triple-quoted and unquoted strings, arrays,
// numbers, booleans, null, object merging, `+=`, and `${VAR}` / `${?VAR}` substitutions from
// earlier keys or the environment. `include` lines are skipped: clearml.conf files written by the
// SDK do not use them, and following them would read files the user did not point us at.

export type HoconValue = string | number | boolean | null | HoconValue[] | HoconObject;
export interface HoconObject {
  [key: string]: HoconValue;
}

/** A syntax error with its 1-based line and column. */
export class HoconError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line}, column ${column}`);
    this.name = 'HoconError';
  }
}

export interface HoconResult {
  readonly value: HoconObject;
  /** Things the reader skipped, e.g. include directives. */
  readonly notes: readonly string[];
}

const isObject = (v: HoconValue | undefined): v is HoconObject => typeof v === 'object' && v !== null && !Array.isArray(v);

// Characters that end an unquoted string (besides a comment start and the end of the line).
const UNQUOTED_STOP = new Set(['{', '}', '[', ']', ',', ':', '=', '#', '"', '\n', '$']);
const KEY_STOP = new Set([...UNQUOTED_STOP, '+', '.', ' ', '\t', '\r']);

class Reader {
  private pos = 0;
  readonly notes: string[] = [];

  constructor(
    private readonly text: string,
    private readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  parseDocument(): HoconObject {
    this.skipSpace(true);
    const root: HoconObject = {};
    if (this.peek() === '{') {
      this.pos++;
      this.parseFields(root, root, '}');
      this.expect('}');
    } else {
      this.parseFields(root, root, undefined);
    }
    this.skipSpace(true);
    if (this.pos < this.text.length) this.fail(`unexpected "${this.peek()}"`);
    return root;
  }

  private parseFields(target: HoconObject, root: HoconObject, close: string | undefined): void {
    for (;;) {
      this.skipSpace(true);
      while (this.peek() === ',') {
        this.pos++;
        this.skipSpace(true);
      }
      const c = this.peek();
      if (c === undefined || c === close) return;
      if (this.text.startsWith('include', this.pos) && /^include\s/.test(this.text.slice(this.pos, this.pos + 8))) {
        const end = this.text.indexOf('\n', this.pos);
        const line = this.text.slice(this.pos, end < 0 ? undefined : end).trim();
        this.notes.push(`skipped "${line}" (includes are not followed)`);
        this.pos = end < 0 ? this.text.length : end;
        continue;
      }
      const path = this.parseKey();
      this.skipSpace(false);
      let append = false;
      if (this.text.startsWith('+=', this.pos)) {
        append = true;
        this.pos += 2;
      } else if (this.peek() === '=' || this.peek() === ':') {
        this.pos++;
      } else if (this.peek() !== '{') {
        this.fail(`expected "=", ":" or "{" after key "${path.join('.')}"`);
      }
      this.skipSpace(false);
      const value = this.parseValue(root);
      assign(target, path, value, append);
    }
  }

  private parseKey(): string[] {
    const parts: string[] = [];
    let current = '';
    let quotedPart = false;
    for (;;) {
      const c = this.peek();
      if (c === '"') {
        current += this.parseQuoted();
        quotedPart = true;
      } else if (c === '.') {
        parts.push(current);
        current = '';
        quotedPart = false;
        this.pos++;
      } else if (c === undefined || KEY_STOP.has(c) || this.text.startsWith('//', this.pos)) {
        break;
      } else {
        current += c;
        this.pos++;
      }
    }
    if (current === '' && !quotedPart) this.fail('expected a key');
    parts.push(current);
    return parts;
  }

  private parseValue(root: HoconObject): HoconValue {
    const c = this.peek();
    if (c === '{') {
      this.pos++;
      const obj: HoconObject = {};
      this.parseFields(obj, root, '}');
      this.expect('}');
      return obj;
    }
    if (c === '[') return this.parseArray(root);
    if (this.text.startsWith('"""', this.pos)) {
      const end = this.text.indexOf('"""', this.pos + 3);
      if (end < 0) this.fail('unterminated triple-quoted string');
      let stop = end + 3;
      while (this.text[stop] === '"') stop++; // extra quotes belong to the string
      const value = this.text.slice(this.pos + 3, stop - 3);
      this.pos = stop;
      return value;
    }
    return this.parseConcatenation(root);
  }

  private parseArray(root: HoconObject): HoconValue[] {
    this.pos++;
    const items: HoconValue[] = [];
    for (;;) {
      this.skipSpace(true);
      while (this.peek() === ',') {
        this.pos++;
        this.skipSpace(true);
      }
      if (this.peek() === ']') {
        this.pos++;
        return items;
      }
      if (this.peek() === undefined) this.fail('unterminated array');
      items.push(this.parseValue(root));
    }
  }

  /** A simple value: quoted and unquoted pieces and substitutions on one line, joined as HOCON does. */
  private parseConcatenation(root: HoconObject): HoconValue {
    const pieces: Array<{ text: string; quoted: boolean } | { value: HoconValue }> = [];
    for (;;) {
      const c = this.peek();
      if (c === '"') {
        pieces.push({ text: this.parseQuoted(), quoted: true });
      } else if (this.text.startsWith('${', this.pos)) {
        pieces.push({ value: this.parseSubstitution(root) });
      } else if (c !== undefined && !UNQUOTED_STOP.has(c) && !this.text.startsWith('//', this.pos)) {
        let text = '';
        while (this.pos < this.text.length) {
          const d = this.text[this.pos]!;
          if (UNQUOTED_STOP.has(d) && d !== ':' && d !== '=') break;
          // "//" starts a comment only after whitespace, so URLs like http://host:8008 survive.
          if (d === '/' && this.text[this.pos + 1] === '/' && /\s/.test(this.text[this.pos - 1] ?? ' ')) break;
          text += d;
          this.pos++;
        }
        pieces.push({ text, quoted: false });
      } else {
        break;
      }
    }
    if (pieces.length === 0) this.fail('expected a value');
    const first = pieces[0]!;
    if (pieces.length === 1 && 'value' in first) return first.value;
    // Trailing whitespace before a comment or the end of the line is not part of the value.
    const last = pieces[pieces.length - 1]!;
    if ('text' in last && !last.quoted) last.text = last.text.trimEnd();
    if (pieces.length === 1 && 'text' in first && !first.quoted) return scalar(first.text);
    return pieces.map((p) => ('value' in p ? String(p.value ?? '') : p.text)).join('');
  }

  private parseSubstitution(root: HoconObject): HoconValue {
    const end = this.text.indexOf('}', this.pos);
    if (end < 0) this.fail('unterminated substitution');
    let name = this.text.slice(this.pos + 2, end).trim();
    this.pos = end + 1;
    const optional = name.startsWith('?');
    if (optional) name = name.slice(1);
    const fromConfig = lookup(root, name.split('.'));
    if (fromConfig !== undefined) return fromConfig;
    const fromEnv = this.env[name];
    if (fromEnv !== undefined) return fromEnv;
    if (optional) return null;
    this.fail(`unresolved substitution \${${name}}`);
  }

  private parseQuoted(): string {
    const start = this.pos;
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === '\n') {
        this.pos = start;
        this.fail('unterminated string');
      }
      this.pos++;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.pos++];
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };
      if (e !== undefined && simple[e] !== undefined) out += simple[e];
      else if (e === 'u') {
        out += String.fromCharCode(parseInt(this.text.slice(this.pos, this.pos + 4), 16));
        this.pos += 4;
      } else this.fail(`bad escape "\\${e ?? ''}"`);
    }
  }

  private skipSpace(newlines: boolean): void {
    for (;;) {
      const c = this.text[this.pos];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF' || (newlines && c === '\n')) this.pos++;
      else if (c === '#' || this.text.startsWith('//', this.pos)) {
        const end = this.text.indexOf('\n', this.pos);
        this.pos = end < 0 ? this.text.length : end;
      } else return;
    }
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private expect(c: string): void {
    this.skipSpace(true);
    if (this.peek() !== c) this.fail(`expected "${c}"`);
    this.pos++;
  }

  private fail(message: string): never {
    const before = this.text.slice(0, this.pos);
    const line = before.split('\n').length;
    throw new HoconError(message, line, this.pos - before.lastIndexOf('\n'));
  }
}

function scalar(text: string): HoconValue {
  if (text === 'true' || text === 'yes' || text === 'on') return true;
  if (text === 'false' || text === 'no' || text === 'off') return false;
  if (text === 'null') return null;
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) return Number(text);
  return text;
}

function lookup(obj: HoconObject, path: readonly string[]): HoconValue | undefined {
  let current: HoconValue | undefined = obj;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

function merge(into: HoconObject, from: HoconObject): void {
  for (const [key, value] of Object.entries(from)) {
    const existing = into[key];
    if (isObject(existing) && isObject(value)) merge(existing, value);
    else into[key] = value;
  }
}

function assign(target: HoconObject, path: readonly string[], value: HoconValue, append: boolean): void {
  let obj = target;
  for (const key of path.slice(0, -1)) {
    if (!isObject(obj[key])) obj[key] = {};
    obj = obj[key] as HoconObject;
  }
  const last = path[path.length - 1]!;
  const existing = obj[last];
  if (append) obj[last] = [...(Array.isArray(existing) ? existing : []), value];
  else if (isObject(existing) && isObject(value)) merge(existing, value);
  else obj[last] = value;
}

/** Parses HOCON text; throws HoconError on a syntax error. */
export function parseHocon(text: string, env: Readonly<Record<string, string | undefined>> = {}): HoconResult {
  const reader = new Reader(text, env);
  const value = reader.parseDocument();
  return { value, notes: reader.notes };
}

/** Reads a dotted path ("api.credentials.access_key") from a parsed document. */
export function hoconGet(obj: HoconObject, dottedPath: string): HoconValue | undefined {
  return lookup(obj, dottedPath.split('.'));
}

/** Deep-merges `later` over `earlier`, as the SDK merges its configuration files. */
export function mergeHocon(earlier: HoconObject, later: HoconObject): HoconObject {
  const out = structuredClone(earlier);
  merge(out, structuredClone(later));
  return out;
}
