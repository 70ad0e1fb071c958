// The audio player of the track view. Playback time changes 60 times a second, so it lives in the
// player and is read when needed, never copied into React state.
import type WaveSurfer from 'wavesurfer.js';
import { create } from 'zustand';

let current: WaveSurfer | null = null;

/** Whether something is playing, and which track the player holds; updated on play/pause events only. */
export const usePlayer = create<{ readonly playing: boolean; readonly ready: boolean; readonly trackId: number | null }>(() => ({
  playing: false,
  ready: false,
  trackId: null,
}));

/** Registers the waveform of the shown track (null when it goes away). */
export function setPlayer(ws: WaveSurfer | null, trackId: number | null = null): void {
  current = ws;
  usePlayer.setState({ playing: false, ready: false, trackId: ws ? trackId : null });
}

/** Play or pause. */
export function playPause(): void {
  void current?.playPause();
}

/** Moves the playhead by `deltaSec` (negative goes back). */
export function seekBy(deltaSec: number): void {
  if (!current) return;
  const duration = current.getDuration();
  if (duration > 0) current.setTime(Math.min(duration, Math.max(0, current.getCurrentTime() + deltaSec)));
}

/** Moves the playhead to `timeSec`. */
export function seekTo(timeSec: number): void {
  current?.setTime(Math.max(0, timeSec));
}

/** The playhead position in seconds. */
export function currentTime(): number {
  return current?.getCurrentTime() ?? 0;
}
