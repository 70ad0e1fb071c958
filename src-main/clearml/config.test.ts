import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test-support/fixtures';
import { deriveFilesServer, deriveWebServer, resolveClearmlConfig, type ResolvedClearmlConfig } from './config';

const tmp = tempDir('eno-clearml-config-');
afterAll(() => tmp.cleanup());

function home(name: string, files: Record<string, string>): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

async function resolve(...args: Parameters<typeof resolveClearmlConfig>): Promise<ResolvedClearmlConfig> {
  const result = await resolveClearmlConfig(...args);
  if (!result.ok) throw new Error(result.error.message);
  return result.config;
}

const CONF = `api {
  api_server: http://clearml.lan:8008
  credentials {"access_key": "FILEKEY", "secret_key": "FILESECRET"}
  verify_certificate: false
}`;

describe('ClearML configuration', () => {
  it('reads ~/clearml.conf and derives the web and files hosts, saying where each value came from', async () => {
    const dir = home('plain', { 'clearml.conf': CONF });
    const c = await resolve({ env: {}, homeDir: dir });
    const file = `file:${join(dir, 'clearml.conf')}`;
    expect(c.apiServer).toEqual({ value: 'http://clearml.lan:8008', source: file });
    expect(c.webServer).toEqual({ value: 'http://clearml.lan:8080', source: 'derived' });
    expect(c.filesServer).toEqual({ value: 'http://clearml.lan:8081', source: 'derived' });
    expect(c.accessKey).toEqual({ value: 'FILEKEY', source: file });
    expect(c.secretKey).toEqual({ value: 'FILESECRET', source: file });
    expect(c.verifyCertificate).toEqual({ value: false, source: file });
    expect(c.configured).toBe(true);
  });

  it('lets the environment (CLEARML_ or TRAINS_) win over the file, and app overrides win over both', async () => {
    const dir = home('env', { 'clearml.conf': CONF });
    const env = {
      CLEARML_API_HOST: 'https://api.example.com/',
      TRAINS_API_ACCESS_KEY: 'ENVKEY',
      CLEARML_API_SECRET_KEY: 'ENVSECRET',
      CLEARML_API_HOST_VERIFY_CERT: 'yes',
    };
    const c = await resolve({ env, homeDir: dir });
    expect(c.apiServer).toEqual({ value: 'https://api.example.com', source: 'env:CLEARML_API_HOST' });
    expect(c.webServer).toEqual({ value: 'https://app.example.com', source: 'derived' });
    expect(c.filesServer).toEqual({ value: 'https://files.example.com', source: 'derived' });
    expect(c.accessKey.source).toBe('env:TRAINS_API_ACCESS_KEY');
    expect(c.verifyCertificate).toEqual({ value: true, source: 'env:CLEARML_API_HOST_VERIFY_CERT' });
    const o = await resolve({ env, homeDir: dir, overrides: { accessKey: 'APPKEY', filesServer: 'https://store.example.com' } });
    expect(o.accessKey).toEqual({ value: 'APPKEY', source: 'override' });
    expect(o.filesServer).toEqual({ value: 'https://store.example.com', source: 'override' });
  });

  it('reads only CLEARML_CONFIG_FILE when it is set, and warns when it does not exist', async () => {
    const dir = home('override', { 'clearml.conf': CONF, 'other.conf': 'api.api_server = "http://other:8008"\n' });
    const c = await resolve({ env: { CLEARML_CONFIG_FILE: join(dir, 'other.conf') }, homeDir: dir });
    expect(c.apiServer.value).toBe('http://other:8008');
    expect(c.accessKey.value).toBeNull();
    expect(c.configured).toBe(false);
    expect(c.files).toEqual([join(dir, 'other.conf')]);
    const missing = await resolve({ env: { CLEARML_CONFIG_FILE: join(dir, 'nope.conf') }, homeDir: dir });
    expect(missing.warnings).toEqual([`CLEARML_CONFIG_FILE names ${join(dir, 'nope.conf')}, which does not exist`]);
    expect(missing.apiServer).toEqual({ value: 'https://api.clear.ml', source: 'default' });
  });

  it('accepts the legacy ~/trains.conf, with clearml.conf winning where both set a value', async () => {
    const legacy = home('legacy', { 'trains.conf': CONF });
    expect((await resolve({ env: {}, homeDir: legacy })).accessKey.value).toBe('FILEKEY');
    const both = home('both', { 'trains.conf': CONF, 'clearml.conf': 'api.credentials.access_key = NEWKEY\n' });
    const c = await resolve({ env: {}, homeDir: both });
    expect(c.accessKey).toEqual({ value: 'NEWKEY', source: `file:${join(both, 'clearml.conf')}` });
    expect(c.secretKey).toEqual({ value: 'FILESECRET', source: `file:${join(both, 'trains.conf')}` });
  });

  it('falls back to the hosted service with no configuration at all, and reports a broken file as an error', async () => {
    const empty = await resolve({ env: {}, homeDir: home('empty', {}) });
    expect(empty.apiServer).toEqual({ value: 'https://api.clear.ml', source: 'default' });
    expect(empty.filesServer).toEqual({ value: 'https://files.clear.ml', source: 'default' });
    expect(empty.configured).toBe(false);
    const broken = await resolveClearmlConfig({ env: {}, homeDir: home('broken', { 'clearml.conf': 'api { api_server = "x' }) });
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.error).toMatchObject({ code: 'config-syntax', message: expect.stringMatching(/clearml\.conf: unterminated string at line 1/) });
  });

  it('reads sdk.storage.path_substitution as the SDK does, skipping incomplete entries with a warning', async () => {
    const dir = home('substitution', {
      'clearml.conf': `${CONF}
sdk {
  storage {
    path_substitution = [
      { registered_prefix = "http://clearml.lan:8081", local_prefix = "https://files.example.com" },
      { registered_prefix: "s3://bucket" }
    ]
  }
}`,
    });
    const c = await resolve({ env: {}, homeDir: dir });
    expect(c.pathSubstitutions).toEqual([{ registeredPrefix: 'http://clearml.lan:8081', localPrefix: 'https://files.example.com' }]);
    expect(c.warnings).toEqual([`${join(dir, 'clearml.conf')}: a sdk.storage.path_substitution entry needs registered_prefix and local_prefix; skipped`]);
    expect((await resolve({ env: {}, homeDir: home('no-substitution', { 'clearml.conf': CONF }) })).pathSubstitutions).toEqual([]);
  });

  it('derives hosts like the SDK', () => {
    expect(deriveWebServer('http://localhost:8008')).toBe('http://localhost:8080');
    expect(deriveWebServer('https://api.clear.ml')).toBe('https://app.clear.ml');
    expect(deriveWebServer('http://myhost:9000')).toBeNull();
    expect(deriveFilesServer('http://localhost:8080')).toBe('http://localhost:8081');
    expect(deriveFilesServer('https://app.company.com')).toBe('https://files.company.com');
    expect(deriveFilesServer('https://clearml.company.com')).toBe('https://clearml.company.com:8081');
  });
});
