// ClearML configuration resolved the way the SDK resolves it, so a user's existing clearml.conf and
// CLEARML_* variables just work: app overrides, then the environment, then the file(s), then hosts
// derived from other hosts, then defaults. Each value says where it came from, for the settings UI.
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { HoconError, hoconGet, mergeHocon, parseHocon, type HoconObject, type HoconValue } from './hocon';
import type { PathSubstitution } from './storage';

export type ValueSource = 'override' | 'derived' | 'default' | `env:${string}` | `file:${string}`;

export interface Sourced<T> {
  readonly value: T;
  readonly source: ValueSource;
}

/** Values the app's own settings may set; they win over everything else. */
export interface ClearmlOverrides {
  readonly apiServer?: string;
  readonly webServer?: string;
  readonly filesServer?: string;
  readonly accessKey?: string;
  readonly secretKey?: string;
  readonly verifyCertificate?: boolean;
}

export interface ResolvedClearmlConfig {
  readonly apiServer: Sourced<string>;
  readonly webServer: Sourced<string | null>;
  readonly filesServer: Sourced<string | null>;
  readonly accessKey: Sourced<string | null>;
  readonly secretKey: Sourced<string | null>;
  readonly authToken: Sourced<string | null>;
  readonly verifyCertificate: Sourced<boolean>;
  /** `sdk.storage.path_substitution`: registered prefixes the SDK (and eno) read from another address. */
  readonly pathSubstitutions: readonly PathSubstitution[];
  /** The configuration files that were read, in merge order. */
  readonly files: readonly string[];
  /** Non-fatal problems: unreadable hosts, skipped includes, a missing CLEARML_CONFIG_FILE. */
  readonly warnings: readonly string[];
  /** True when credentials (or a token) are set: without them nothing can be sent. */
  readonly configured: boolean;
}

export interface ConfigInputs {
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where ~/clearml.conf and ~/trains.conf are looked for; default: the user's home. */
  readonly homeDir?: string;
  readonly overrides?: ClearmlOverrides;
}

export type ConfigResult =
  | { readonly ok: true; readonly config: ResolvedClearmlConfig }
  | { readonly ok: false; readonly error: { readonly code: 'config-syntax' | 'config-unreadable'; readonly message: string } };

/** The SDK's defaults: the hosted service. */
export const DEFAULT_API_SERVER = 'https://api.clear.ml';
const DEFAULT_WEB_SERVER = 'https://app.clear.ml';
const DEFAULT_FILES_SERVER = 'https://files.clear.ml';

const ENV = {
  api: ['CLEARML_API_HOST', 'TRAINS_API_HOST'],
  web: ['CLEARML_WEB_HOST', 'TRAINS_WEB_HOST'],
  files: ['CLEARML_FILES_HOST', 'TRAINS_FILES_HOST'],
  key: ['CLEARML_API_ACCESS_KEY', 'TRAINS_API_ACCESS_KEY'],
  secret: ['CLEARML_API_SECRET_KEY', 'TRAINS_API_SECRET_KEY'],
  token: ['CLEARML_AUTH_TOKEN'],
  verify: ['CLEARML_API_HOST_VERIFY_CERT', 'TRAINS_API_HOST_VERIFY_CERT'],
  configFile: ['CLEARML_CONFIG_FILE', 'TRAINS_CONFIG_FILE'],
} as const;

function fromEnv(env: Readonly<Record<string, string | undefined>>, names: readonly string[]): Sourced<string> | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') return { value: value.trim(), source: `env:${name}` };
  }
  return undefined;
}

/** The SDK's truth words. */
export function parseBool(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (['y', 'yes', 't', 'true', 'on', '1'].includes(t)) return true;
  if (['n', 'no', 'f', 'false', 'off', '0'].includes(t)) return false;
  return undefined;
}

/** Web host from the API host, as the SDK composes it; null when it cannot be told. */
export function deriveWebServer(apiServer: string): string | null {
  if (apiServer.includes('://demoapi.')) return apiServer.replace('://demoapi.', '://demoapp.');
  if (apiServer.includes('://api.')) return apiServer.replace('://api.', '://app.');
  try {
    if (new URL(apiServer).port === '8008') return apiServer.replace(':8008', ':8080');
  } catch {
    return null;
  }
  return null;
}

/** Files host from the web host: any port becomes 8081, "app." becomes "files.", else ":8081" is added. */
export function deriveFilesServer(webServer: string): string | null {
  let url: URL;
  try {
    url = new URL(webServer);
  } catch {
    return null;
  }
  if (url.port) url.port = '8081';
  else if (url.hostname.startsWith('demoapp.')) url.hostname = url.hostname.replace('demoapp.', 'demofiles.');
  else if (url.hostname.startsWith('app.')) url.hostname = url.hostname.replace('app.', 'files.');
  else url.port = '8081';
  return url.toString().replace(/\/$/, '');
}

interface LoadedFiles {
  readonly tree: HoconObject;
  /** Which file each top-level dotted key we care about came from. */
  readonly origin: (path: string) => string | undefined;
  readonly files: string[];
  readonly warnings: string[];
}

async function loadFiles(env: Readonly<Record<string, string | undefined>>, home: string): Promise<LoadedFiles> {
  const override = fromEnv(env, ENV.configFile);
  const warnings: string[] = [];
  // With CLEARML_CONFIG_FILE set only that file counts; otherwise trains.conf then clearml.conf.
  const candidates = override ? [override.value.replace(/^~(?=$|\/)/, home)] : [join(home, 'trains.conf'), join(home, 'clearml.conf')];
  const layers: Array<{ file: string; tree: HoconObject }> = [];
  for (const file of candidates) {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        if (override) warnings.push(`${override.source.slice(4)} names ${file}, which does not exist`);
        continue;
      }
      throw Object.assign(new Error(`cannot read ${file}: ${(error as Error).message}`), { configCode: 'config-unreadable' });
    }
    try {
      const parsed = parseHocon(text, env);
      warnings.push(...parsed.notes.map((n) => `${file}: ${n}`));
      layers.push({ file, tree: parsed.value });
    } catch (error) {
      if (error instanceof HoconError) {
        throw Object.assign(new Error(`${file}: ${error.message}`), { configCode: 'config-syntax' });
      }
      throw error;
    }
  }
  const tree = layers.reduce<HoconObject>((acc, layer) => mergeHocon(acc, layer.tree), {});
  const origin = (path: string): string | undefined =>
    [...layers].reverse().find((l) => hoconGet(l.tree, path) !== undefined)?.file;
  return { tree, origin, files: layers.map((l) => l.file), warnings };
}

function fileString(loaded: LoadedFiles, paths: readonly string[]): Sourced<string> | undefined {
  for (const path of paths) {
    const value: HoconValue | undefined = hoconGet(loaded.tree, path);
    if ((typeof value === 'string' || typeof value === 'number') && String(value).trim() !== '') {
      return { value: String(value).trim(), source: `file:${loaded.origin(path)!}` };
    }
  }
  return undefined;
}

/** The SDK's `sdk.storage.path_substitution` list; entries without both prefixes are skipped with a warning. */
function pathSubstitutions(loaded: LoadedFiles, warnings: string[]): PathSubstitution[] {
  const value = hoconGet(loaded.tree, 'sdk.storage.path_substitution');
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  const out: PathSubstitution[] = [];
  for (const item of items) {
    const registered = typeof item === 'object' && item !== null && !Array.isArray(item) ? item.registered_prefix : undefined;
    const local = typeof item === 'object' && item !== null && !Array.isArray(item) ? item.local_prefix : undefined;
    if (typeof registered === 'string' && typeof local === 'string' && registered.trim() && local.trim()) {
      out.push({ registeredPrefix: registered.trim(), localPrefix: local.trim() });
    } else {
      warnings.push(`${loaded.origin('sdk.storage.path_substitution') ?? 'clearml.conf'}: a sdk.storage.path_substitution entry needs registered_prefix and local_prefix; skipped`);
    }
  }
  return out;
}

const trimSlash = <T extends string | null>(s: Sourced<T>): Sourced<T> =>
  s.value === null ? s : { ...s, value: s.value.replace(/\/+$/, '') as T };

/** Resolves the configuration; only a broken or unreadable file is an error. */
export async function resolveClearmlConfig(inputs: ConfigInputs = {}): Promise<ConfigResult> {
  const env = inputs.env ?? process.env;
  const overrides = inputs.overrides ?? {};
  let loaded: LoadedFiles;
  try {
    loaded = await loadFiles(env, inputs.homeDir ?? homedir());
  } catch (error) {
    const code = (error as { configCode?: 'config-syntax' | 'config-unreadable' }).configCode ?? 'config-unreadable';
    return { ok: false, error: { code, message: (error as Error).message } };
  }
  const warnings = [...loaded.warnings];
  const over = (value: string | undefined): Sourced<string> | undefined =>
    value !== undefined && value.trim() !== '' ? { value: value.trim(), source: 'override' } : undefined;

  const api = trimSlash(
    over(overrides.apiServer) ?? fromEnv(env, ENV.api) ?? fileString(loaded, ['api.api_server', 'api.host']) ?? { value: DEFAULT_API_SERVER, source: 'default' },
  );
  const explicitWeb = over(overrides.webServer) ?? fromEnv(env, ENV.web) ?? fileString(loaded, ['api.web_server']);
  let web: Sourced<string | null>;
  if (explicitWeb) web = explicitWeb;
  else if (api.source === 'default') web = { value: DEFAULT_WEB_SERVER, source: 'default' };
  else {
    web = { value: deriveWebServer(api.value), source: 'derived' };
    if (web.value === null) warnings.push(`cannot derive the web server from ${api.value}; set api.web_server`);
  }
  web = trimSlash(web);
  const explicitFiles = over(overrides.filesServer) ?? fromEnv(env, ENV.files) ?? fileString(loaded, ['api.files_server']);
  let files: Sourced<string | null>;
  if (explicitFiles) files = explicitFiles;
  else if (api.source === 'default') files = { value: DEFAULT_FILES_SERVER, source: 'default' };
  else files = { value: web.value === null ? null : deriveFilesServer(web.value), source: 'derived' };
  files = trimSlash(files);

  const key = over(overrides.accessKey) ?? fromEnv(env, ENV.key) ?? fileString(loaded, ['api.credentials.access_key']);
  const secret = over(overrides.secretKey) ?? fromEnv(env, ENV.secret) ?? fileString(loaded, ['api.credentials.secret_key']);
  const token = fromEnv(env, ENV.token);

  let verify: Sourced<boolean> = { value: true, source: 'default' };
  const envVerify = fromEnv(env, ENV.verify);
  const fileVerify = hoconGet(loaded.tree, 'api.verify_certificate');
  if (overrides.verifyCertificate !== undefined) verify = { value: overrides.verifyCertificate, source: 'override' };
  else if (envVerify && parseBool(envVerify.value) !== undefined) verify = { value: parseBool(envVerify.value)!, source: envVerify.source };
  else if (typeof fileVerify === 'boolean') verify = { value: fileVerify, source: `file:${loaded.origin('api.verify_certificate')!}` };
  else if (typeof fileVerify === 'string' && parseBool(fileVerify) !== undefined) {
    verify = { value: parseBool(fileVerify)!, source: `file:${loaded.origin('api.verify_certificate')!}` };
  }
  if (envVerify && parseBool(envVerify.value) === undefined) warnings.push(`${envVerify.source.slice(4)}="${envVerify.value}" is not a yes/no value; ignored`);

  const hasCredentials = (key !== undefined && secret !== undefined) || token !== undefined;
  return {
    ok: true,
    config: {
      apiServer: api,
      webServer: web,
      filesServer: files,
      accessKey: key ?? { value: null, source: 'default' },
      secretKey: secret ?? { value: null, source: 'default' },
      authToken: token ?? { value: null, source: 'default' },
      verifyCertificate: verify,
      pathSubstitutions: pathSubstitutions(loaded, warnings),
      files: loaded.files,
      warnings,
      configured: hasCredentials,
    },
  };
}

/** The "Test connection" failure classes live with the other errors; re-exported for the settings UI. */
export { classifyConnectionFailure } from './errors';
