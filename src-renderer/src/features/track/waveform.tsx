// The track's waveform (wavesurfer.js 7) drawn from peaks computed by the core, so it shows at once
// for any format; the audio itself streams from the core with byte ranges for seeking.
import { useEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import { getTransport } from '../../api/api';
import { currentTime, playPause, setPlayer, usePlayer } from '../../state/player';
import { TAGGRAM_LABEL_PX } from './taggram-strip';

function clock(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

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
}: {
  trackId: number;
  peaks: readonly number[];
  durationSec: number;
  /** Drawn right under the waveform, in the same panel (the taggram). */
  children?: React.ReactNode;
}): React.JSX.Element {
  const container = useRef<HTMLDivElement>(null);
  const audio = useRef<HTMLAudioElement>(null);
  const time = useRef<HTMLSpanElement>(null);
  const [error, setError] = useState<string | null>(null);
  const playing = usePlayer((s) => s.playing);
  // The detail reloads after every correction with a new (equal) peaks array: keep the same
  // channel then, or wavesurfer would be rebuilt and playback would stop.
  const channel = useStableChannel(peaks);

  useEffect(() => {
    if (!container.current || !audio.current) return;
    setError(null);
    audio.current.src = getTransport().mediaUrl(trackId);
    const ws = WaveSurfer.create({
      container: container.current,
      media: audio.current,
      peaks: [channel],
      duration: durationSec,
      height: 96,
      waveColor: '#4b5563',
      progressColor: '#6cb6ff',
      cursorColor: '#e6e8eb',
      normalize: true,
      dragToSeek: true,
    });
    setPlayer(ws);
    const subscriptions = [
      ws.on('play', () => usePlayer.setState({ playing: true })),
      ws.on('pause', () => usePlayer.setState({ playing: false })),
      ws.on('ready', () => usePlayer.setState({ ready: true })),
      ws.on('error', (e) => setError(`Cannot play this file: ${String(e)}`)),
      ws.on('timeupdate', (t) => {
        if (time.current) time.current.textContent = `${clock(t)} / ${clock(durationSec)}`;
      }),
    ];
    return () => {
      subscriptions.forEach((unsubscribe) => unsubscribe());
      setPlayer(null);
      ws.destroy();
    };
  }, [trackId, channel, durationSec]);

  return (
    <div className="waveform">
      <div ref={container} data-testid="waveform" style={{ marginLeft: TAGGRAM_LABEL_PX }} />
      {children}
      <audio ref={audio} preload="metadata" data-testid="audio" />
      <div className="player-controls">
        <button onClick={playPause} aria-label={playing ? 'Pause' : 'Play'} title="Play / pause (Space)">
          {playing ? 'Pause' : 'Play'}
        </button>
        <span ref={time}>{`${clock(currentTime())} / ${clock(durationSec)}`}</span>
        {error && <span className="error-text">{error}</span>}
      </div>
    </div>
  );
}
