// `eno upload` and `eno models list|pull|use`: the ClearML loop without a window, on the same
// library (data folder) the app uses.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSettings } from '../core/app-settings';
import { ClearmlService } from '../core/clearml-service';
import { fileLogger } from '../core/logger';
import { DEFAULT_MODEL_KEY, listLocalModels, modelDirFor, setActiveModel } from '../core/model-catalog';
import { secretStore } from '../core/secret-store';
import { ensureDataDir, libraryDataDir } from '../library/data-dir';
import { Library } from '../library/library';
import type { CliIo } from './io';
import { appVersion } from './version';

export const UPLOAD_USAGE = `usage: eno upload [--data-dir DIR] [--dry-run]

Uploads the corrections made since the last upload as a new version of the ClearML dataset
(project and dataset as set in the app, default eno/corrections). ClearML is configured the usual
way: ~/clearml.conf, CLEARML_CONFIG_FILE, or CLEARML_API_* environment variables.

options:
  --data-dir DIR    library folder (default: $ENO_DATA_DIR, else ~/.local/share/eno)
  --dry-run         show what would be uploaded, upload nothing
  -h, --help        show this help`;

export const MODELS_USAGE = `usage: eno models list|pull <model id>|use <key> [--data-dir DIR]

  list              installed models (the active one marked) and the published "eno" ONNX models
                    of the ClearML registry
  pull <model id>   download a registry model into the models cache (checksum verified)
  use <key>         make an installed model the active one and queue the library for re-tagging
                    (the app or "eno serve" does the tagging); key "default" is the bundled model`;

async function openServices(dataDirFlag: string | undefined, io: CliIo): Promise<{ library: Library; service: ClearmlService; dataDir: string }> {
  const dataDir = ensureDataDir({ explicit: libraryDataDir({ explicit: dataDirFlag }) });
  io.stderr(`eno: library in ${dataDir}\n`);
  const log = fileLogger(dataDir);
  const library = await Library.open({ dataDir, engine: null, onEvent: () => undefined, watch: false, runQueue: false });
  const service = new ClearmlService({
    dataDir,
    library,
    secrets: secretStore(dataDir, null),
    appVersion: appVersion(),
    emit: (event, payload) => {
      if (event !== 'upload') return;
      const s = payload as { running: boolean; phase: string; doneBytes: number; totalBytes: number };
      if (s.running) io.stderr(`eno: ${s.phase}${s.totalBytes > 0 ? ` ${Math.round((100 * s.doneBytes) / s.totalBytes)}%` : ''}\n`);
    },
    log,
    modelsDir: join(dataDir, 'models'),
  });
  return { library, service, dataDir };
}

/** Runs `eno upload`; 0 when uploaded or nothing to upload, 1 on failure, 2 on usage errors. */
export async function runUpload(args: readonly string[], io: CliIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: [...args], options: { 'data-dir': { type: 'string' }, 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (error) {
    io.stderr(`eno upload: ${(error as Error).message}\n\n${UPLOAD_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${UPLOAD_USAGE}\n`);
    return 0;
  }
  const { library, service } = await openServices(values['data-dir'], io);
  try {
    const preview = service.preview();
    io.stdout(`${preview.pending} corrected track(s) to upload${preview.newTags.length > 0 ? `; new tags: ${preview.newTags.join(', ')}` : ''}\n`);
    for (const t of preview.tracks.slice(0, 20)) {
      const changes = [...t.added.map((a) => `+${a}`), ...t.removed.map((r) => `-${r}`)].join(' ') || '(confirmed as predicted)';
      io.stdout(`  ${t.title}${t.artist ? ` — ${t.artist}` : ''}: ${changes}\n`);
    }
    if (preview.tracks.length > 20) io.stdout(`  … and ${preview.pending - 20} more\n`);
    if (values['dry-run'] || preview.pending === 0) return 0;
    await service.startUpload();
    const state = await service.settled();
    const last = state.last;
    if (!last?.ok) {
      io.stderr(`eno upload: ${last?.message ?? 'the upload did not finish'}\n`);
      return 1;
    }
    io.stdout(`${last.message}\n${last.webUrl ? `${last.webUrl}\n` : ''}`);
    return 0;
  } catch (error) {
    io.stderr(`eno upload: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await service.close();
    await library.close();
  }
}

/** Runs `eno models ...`. */
export async function runModels(args: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], allowPositionals: true, options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    io.stderr(`eno models: ${(error as Error).message}\n\n${MODELS_USAGE}\n`);
    return 2;
  }
  const [action, target] = parsed.positionals;
  if (parsed.values.help) {
    io.stdout(`${MODELS_USAGE}\n`);
    return 0;
  }
  if (!action || !['list', 'pull', 'use'].includes(action) || ((action === 'pull' || action === 'use') && !target)) {
    io.stderr(`${MODELS_USAGE}\n`);
    return 2;
  }
  const { library, service, dataDir } = await openServices(parsed.values['data-dir'], io);
  const active = loadSettings(dataDir).activeModel ?? DEFAULT_MODEL_KEY;
  try {
    if (action === 'list') {
      io.stdout('installed:\n');
      for (const m of listLocalModels(dataDir, active)) io.stdout(`  ${m.active ? '*' : ' '} ${m.key.padEnd(32)} ${m.name} ${m.version} (${m.source})\n`);
      try {
        const installed = listLocalModels(dataDir, active);
        const rows = await service.registryModels((id, version) => installed.some((m) => m.id === id && m.version === version));
        io.stdout(`ClearML registry (${rows.length} published):\n`);
        for (const r of rows) {
          io.stdout(`    ${r.id}  ${r.name} ${r.version ?? '?'}  ${r.created}${r.installed ? '  installed' : ''}${r.problem ? `  unusable: ${r.problem}` : ''}\n`);
          if (r.comment) io.stdout(`      ${r.comment}\n`);
        }
      } catch (error) {
        io.stderr(`eno models: registry not available: ${(error as Error).message}\n`);
        return 1;
      }
      return 0;
    }
    if (action === 'pull') {
      const installed = await service.pull(target!);
      io.stdout(`installed ${installed.manifest.id} ${installed.manifest.version} in ${installed.dir}${installed.alreadyInstalled ? ' (already there)' : ''}\n`);
      return 0;
    }
    const key = target!;
    if (!modelDirFor(dataDir, key)) {
      io.stderr(`eno models: no installed model "${key}"; run "eno models list"\n`);
      return 1;
    }
    setActiveModel(dataDir, key);
    io.stdout(`"${key}" is now the active model; the app re-tags the library with it when it starts\n`);
    return 0;
  } catch (error) {
    io.stderr(`eno models: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await service.close();
    await library.close();
  }
}
