// The track's waveform (wavesurfer.js 7) drawn from peaks computed by the core, so it shows at once
// for any format; the audio itself streams from the core with byte ranges for seeking.
import { useEffect, useMemo, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import { getTransport } from '../../api/api';
import { currentTime, playPause, setPlayer, usePlayer } from '../../state/player';
import { TAGGRAM_LABEL_PX } from './taggram-strip';

function clock(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
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
  // Same array identity for the same peaks, or wavesurfer would rebuild.
  const channel = useMemo(() => Float32Array.from(peaks.length > 0 ? peaks : [0, 0]), [peaks]);

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
