// Settings of the app that are not library data: the model set (the active model, the AudioSet
// model in or out) and the ClearML connection choices. A small JSON file in the data folder,
// replaced atomically. Secrets never go here.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

const settingsSchema = z.object({
  /** Folder name of the active model under <data dir>/models, or null for the bundled default. */
  activeModel: z.string().nullable().default(null),
  /** id@version of the models the library was last (re-)tagged with, comma-separated; a change means re-tag. */
  libraryModel: z.string().nullable().default(null),
  /** Tag with the AudioSet model (EfficientAT mn04) beside the active model (the default set); the Models dialog sets it. */
  audiosetModel: z.boolean().default(true),
  clearml: z
    .object({
      apiServer: z.string().optional(),
      webServer: z.string().optional(),
      filesServer: z.string().optional(),
      accessKey: z.string().optional(),
      project: z.string().default('eno'),
      datasetName: z.string().default('corrections'),
      includeExcerpts: z.boolean().default(false),
    })
    .default({ project: 'eno', datasetName: 'corrections', includeExcerpts: false }),
});

export type AppSettings = z.infer<typeof settingsSchema>;

const FILE = 'settings.json';

/** Reads the settings; a missing or damaged file gives the defaults (and the damage is logged). */
export function loadSettings(dataDir: string, log: (m: string) => void = () => undefined): AppSettings {
  const path = join(dataDir, FILE);
  let raw: unknown = {};
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log(`${path}: unreadable settings, using defaults (${(error as Error).message})`);
  }
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) {
    log(`${path}: invalid settings, using defaults`);
    return settingsSchema.parse({});
  }
  return parsed.data;
}

/** Writes the settings atomically (temp file, then rename). */
export function saveSettings(dataDir: string, settings: AppSettings): void {
  const path = join(dataDir, FILE);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(settings, null, 2)}\n`);
  renameSync(tmp, path);
}
