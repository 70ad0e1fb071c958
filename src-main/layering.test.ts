// The architecture's layering rules are lint rules; this proves they fire on the imports they forbid.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../test-support/fixtures';

const eslint = new ESLint({ cwd: REPO_ROOT });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${REPO_ROOT}/${file}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint rules', () => {
  it('forbid Electron in the core but allow it in the Electron glue', async () => {
    const code = "import { app } from 'electron';\nexport const a = app;\n";
    expect(await problems('src-main/library/x.ts', code)).toEqual([expect.stringMatching(/core never imports Electron/)]);
    expect(await problems('src-main/electron/x.ts', code)).toEqual([]);
    expect(await problems('src-main/index.ts', code)).toEqual([]);
  });

  it('forbid Node, Electron and main-process code in the renderer', async () => {
    expect(await problems('src-renderer/src/x.ts', "import { readFile } from 'node:fs';\nexport const r = readFile;\n")).toHaveLength(1);
    expect(await problems('src-renderer/src/x.ts', "import path from 'path';\nexport const p = path;\n")).toHaveLength(1);
    expect(await problems('src-renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;\n")).toHaveLength(1);
    expect(await problems('src-renderer/src/x.ts', "import { tagFile } from '../../src-main/tagging/tag-file';\nexport const t = tagFile;\n")).toHaveLength(1);
  });

  it('keep ipcMain in the IPC wrapper', async () => {
    const code = "import { ipcMain } from 'electron';\nexport const i = ipcMain;\n";
    expect(await problems('src-main/electron/menu.ts', code)).toEqual([expect.stringMatching(/src-main\/electron\/ipc\.ts/)]);
    expect(await problems('src-main/electron/ipc.ts', code)).toEqual([]);
  });

  it('let the renderer import the contract and nothing else from the preload', async () => {
    expect(await problems('src-renderer/src/x.ts', "import type { EnoApi } from '../../src-preload/contract';\nexport type A = EnoApi;\n")).toEqual([]);
    expect(await problems('src-renderer/src/x.ts', "import { mediaPath } from '../../src-preload/contract-data';\nexport const m = mediaPath;\n")).toEqual([]);
    expect(await problems('src-renderer/src/x.ts', "import '../../src-preload/index';\n")).toHaveLength(1);
  });

  it('keep test servers, harnesses and synthetic data out of what ships', async () => {
    const code = "import { seedTracks } from '../../test-support/synthetic-library';\nexport const s = seedTracks;\n";
    expect(await problems('src-main/library/x.ts', code)).toEqual([expect.stringMatching(/never imports test servers/)]);
    expect(await problems('src-main/library/x.test.ts', code)).toEqual([]);
    expect(await problems('src-renderer/src/x.ts', "import { x } from '../../test-support/fixtures';\nexport const y = x;\n")).toHaveLength(1);
  });
});
