// Packaging cannot run here (electron-builder downloads Electron), so its configuration is loaded
// and validated with electron-builder's own loader and schema, and checked for what the app needs.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../test-support/fixtures';

interface BuilderConfig {
  appId?: string;
  asarUnpack?: string[];
  files?: string[];
  extraResources?: Array<{ from: string; to: string; filter: string[] }>;
  linux?: { target?: string[] };
  mac?: { target?: string };
  win?: { target?: string };
}

const require = createRequire(import.meta.url);

describe('electron-builder configuration', () => {
  it('passes electron-builder validation and covers every platform target', async () => {
    const configModule = require('app-builder-lib/out/util/config/config') as {
      getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<BuilderConfig>;
      validateConfiguration(config: BuilderConfig, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const config = await configModule.getConfig(REPO_ROOT, join(REPO_ROOT, 'electron-builder.yml'), null);
    await expect(configModule.validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // The validator is real: a wrong option type is refused.
    const broken = { ...config, nsis: { oneClick: 'sometimes' } } as unknown as BuilderConfig;
    await expect(configModule.validateConfiguration(broken, new DebugLogger(false))).rejects.toThrow(/oneClick/);
    expect(config.appId).toBe('ml.eno.desktop');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toBe('dmg');
    expect(config.win?.target).toBe('nsis');
  });

  it('unpacks native modules, ffmpeg and the workers from the asar, and ships the default model', async () => {
    const { getConfig } = require('app-builder-lib/out/util/config/config') as {
      getConfig(projectDir: string, configPath: string | null, fromOptions: null): Promise<BuilderConfig>;
    };
    const config = await getConfig(REPO_ROOT, join(REPO_ROOT, 'electron-builder.yml'), null);
    for (const pkg of ['onnxruntime-node', 'better-sqlite3', '@ffmpeg-installer']) {
      expect(config.asarUnpack).toContain(`node_modules/${pkg}/**`);
    }
    expect(config.asarUnpack).toContain('out/main/**');
    const model = config.extraResources?.find((r) => r.to === 'models/musicnn-msd');
    expect(model).toBeDefined();
    for (const file of ['model.onnx', 'eno-model.json', 'LICENCE-musicnn.txt']) {
      expect(model!.filter).toContain(file);
      expect(existsSync(join(REPO_ROOT, model!.from, file))).toBe(true);
    }
    expect(existsSync(join(REPO_ROOT, 'resources', 'icon.png'))).toBe(true);
  });
});
