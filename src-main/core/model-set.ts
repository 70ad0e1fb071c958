// Which models tag together: the active model, then the AudioSet model (EfficientAT mn04) when the
// settings want it and it is installed. A model folder given on the command line tags alone.
import type { ModelInfo, ModelSetInfo } from '../../src-preload/contract';
import type { ModelChoice } from '../inference/engine';
import { AUDIOSET_MODEL_ID, bundledModelDir } from '../inference/default-model';
import type { ModelBundle } from '../inference/manifest';

/** The model set: the active model, then the AudioSet model when wanted and installed. */
export function modelSet(activeDir: string, withAudioset: boolean): ModelChoice[] {
  const audioset = withAudioset ? bundledModelDir(AUDIOSET_MODEL_ID) : undefined;
  return [{ dir: activeDir }, ...(audioset && audioset !== activeDir ? [{ dir: audioset }] : [])];
}

/** A bundle as the window names it. */
export function modelInfo(bundle: ModelBundle): ModelInfo {
  const m = bundle.manifest;
  return { id: m.id, version: m.version, name: m.name ?? m.id, source: m.source };
}

/** True when the AudioSet model is one of the bundles that tag. */
export function hasAudioset(bundles: readonly ModelBundle[]): boolean {
  return bundles.some((b) => b.manifest.id === AUDIOSET_MODEL_ID);
}

/**
 * Why the set cannot be changed from the window, or null when it can: a model folder given with
 * `--model` tags alone, and the AudioSet model may not be installed.
 */
export function modelSetFixedReason(customModelDir: string | undefined, audiosetInstalled: boolean): string | null {
  if (customModelDir !== undefined) return `eno was started with the model folder ${customModelDir} (--model), which tags alone`;
  if (!audiosetInstalled) return `the AudioSet model (${AUDIOSET_MODEL_ID}) is not installed`;
  return null;
}

/** The set as the window shows it: its models in order, whether the AudioSet model is in, and whether it can change. */
export function modelSetInfo(bundles: readonly ModelBundle[], customModelDir: string | undefined): ModelSetInfo {
  return {
    models: bundles.map(modelInfo),
    audioset: hasAudioset(bundles),
    fixedReason: modelSetFixedReason(customModelDir, bundledModelDir(AUDIOSET_MODEL_ID) !== undefined),
  };
}

/** "musicnn 1.0.0 and EfficientAT mn04 (AudioSet) 1.0.0": the set in a sentence. */
export function describeModelSet(models: readonly ModelInfo[]): string {
  const names = models.map((m) => `${m.name} ${m.version}`);
  return names.length <= 1 ? (names[0] ?? 'no model') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
