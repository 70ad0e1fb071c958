// The track's waveform (wavesurfer.js 7) drawn from peaks computed by the core, so it shows at once
// for any format; the audio itself streams from the core with byte ranges for seeking.
import { useEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import { getTransport } from '../../api/api';
import { currentTime, playPause, setPlayer, usePlayer } from '../../state/player';
import { formatClock } from '../format';
import { PALETTES, useResolvedTheme } from '../theme';
import { TAGGRAM_LABEL_PX } from './taggram-strip';

/** Elapsed and total time, with the same clock as the table's Length column. */
const readout = (t: number, durationSec: number): string => `${formatClock(t)} / ${formatClock(durationSec)}`;

/** The peaks as a wavesurfer channel, the same object for as long as the values are the same. */
function useStableChannel(peaks: readonly number[]): Float32Array {
  const last = useRef<Float32Array | null>(null);
  const next = peaks.length > 0 ? peaks : [0, 0];
  const kept = last.current;
  // Compared as float32, the form they are kept in.
  if (kept && kept.length === next.length && next.every((v, i) => Math.fround(v) === kept[i])) return kept;
  last.current = Float32Array.from(next);
  return last.current;
}

/** Waveform, play/pause and the time readout for one track. */
export function Waveform({
  trackId,
  peaks,
  durationSec,
  children,
  controls,
}: {
  trackId: number;
  peaks: readonly number[];
  durationSec: number;
  /** Drawn right under the waveform, in the same panel (the taggram). */
  children?: React.ReactNode;
  /** Shown after the time, on the line of the play button. */
  controls?: React.ReactNode;
}): React.JSX.Element {
  const container = useRef<HTMLDivElement>(null);
  const audio = useRef<HTMLAudioElement>(null);
  const time = useRef<HTMLSpanElement>(null);
  const [error, setError] = useState<string | null>(null);
  const playing = usePlayer((s) => s.playing);
  // The detail reloads after every correction with a new (equal) peaks array: keep the same
  // channel then, or wavesurfer would be rebuilt and playback would stop.
  const channel = useStableChannel(peaks);
  const theme = useResolvedTheme();
  const player = useRef<WaveSurfer | null>(null);

  useEffect(() => {
    if (!container.current || !audio.current) return;
    setError(null);
    audio.current.src = getTransport().mediaUrl(trackId);
    const ws = WaveSurfer.create({
      container: container.current,
      media: audio.current,
      peaks: [channel],
      duration: durationSec,
      height: 72,
      waveColor: PALETTES[theme].wave,
      progressColor: PALETTES[theme].waveProgress,
      cursorColor: PALETTES[theme].cursor,
      normalize: true,
      dragToSeek: true,
    });
    player.current = ws;
    setPlayer(ws, trackId);
    const subscriptions = [
      ws.on('play', () => usePlayer.setState({ playing: true })),
      ws.on('pause', () => usePlayer.setState({ playing: false })),
      ws.on('ready', () => usePlayer.setState({ ready: true })),
      ws.on('error', (e) => setError(`Cannot play this file: ${String(e)}`)),
      ws.on('timeupdate', (t) => {
        if (time.current) time.current.textContent = readout(t, durationSec);
      }),
    ];
    return () => {
      subscriptions.forEach((unsubscribe) => unsubscribe());
      setPlayer(null);
      player.current = null;
      ws.destroy();
    };
    // Not rebuilt for a new theme (that would stop the music): the effect below recolours it.
  }, [trackId, channel, durationSec]);

  useEffect(() => {
    const p = PALETTES[theme];
    player.current?.setOptions({ waveColor: p.wave, progressColor: p.waveProgress, cursorColor: p.cursor });
  }, [theme]);

  return (
    <div className="waveform">
      <div ref={container} data-testid="waveform" style={{ marginLeft: TAGGRAM_LABEL_PX }} />
      {children}
      <audio ref={audio} preload="metadata" data-testid="audio" />
      <div className="player-controls">
        <button onClick={playPause} aria-label={playing ? 'Pause' : 'Play'} title="Play / pause (Space)">
          {playing ? 'Pause' : 'Play'}
        </button>
        <span ref={time} className="time" data-testid="player-time">
          {readout(currentTime(), durationSec)}
        </span>
        {error && <span className="error-text">{error}</span>}
        {controls}
      </div>
    </div>
  );
}
