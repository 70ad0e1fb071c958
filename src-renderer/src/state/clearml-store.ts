// Whether ClearML is set up, so Upload can say why it cannot start before anyone clicks it.
import { create } from 'zustand';
import type { ClearmlSettings } from '../../../src-preload/contract';
import { call } from '../api/api';

export const useClearml = create<{ readonly settings: ClearmlSettings | null }>(() => ({ settings: null }));

/** Reads the resolved ClearML settings again (at start and after Settings saved them). */
export async function loadClearmlSettings(): Promise<void> {
  useClearml.setState({ settings: await call('clearmlSettings', undefined) });
}

/** Keeps settings the Settings dialog received. */
export function setClearmlSettings(settings: ClearmlSettings): void {
  useClearml.setState({ settings });
}
