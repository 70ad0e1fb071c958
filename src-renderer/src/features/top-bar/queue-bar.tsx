// Overall tagging progress: done/total, rate and ETA, with pause, resume and cancel.
import { call } from '../../api/api';
import { notify } from '../../state/notice-store';
import { setQueueStatus, useQueue } from '../../state/queue-store';

function clock(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec)) return '--:--';
  const s = Math.round(sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

async function control(name: 'pauseQueue' | 'resumeQueue' | 'cancelQueue'): Promise<void> {
  try {
    setQueueStatus(await call(name, undefined));
  } catch (error) {
    notify('error', (error as Error).message);
  }
}

/** The queue's progress line in the top bar. */
export function QueueBar(): React.JSX.Element {
  const status = useQueue((s) => s.status);
  const fraction = status.total > 0 ? status.done / status.total : 0;
  const active = status.state !== 'idle';
  return (
    <div className="queue-bar" role="status" aria-label="Tagging progress">
      <div className="progress" aria-hidden="true">
        <span style={{ width: `${Math.round(fraction * 100)}%` }} />
      </div>
      <span className="queue-text" data-testid="queue-text">
        {active
          ? `${status.state === 'paused' ? 'Paused · ' : ''}${status.done}/${status.total} tagged · ${status.tracksPerSec.toFixed(1)} tracks/s · ETA ${clock(status.etaSec)}${status.failed > 0 ? ` · ${status.failed} failed` : ''}`
          : status.total > 0
            ? `All ${status.done} tracks tagged${status.failed > 0 ? ` · ${status.failed} failed` : ''}`
            : 'Nothing to tag'}
      </span>
      {status.state === 'running' && (
        <button onClick={() => void control('pauseQueue')} title="Pause tagging">
          Pause
        </button>
      )}
      {status.state === 'paused' && (
        <button onClick={() => void control('resumeQueue')} title="Resume tagging">
          Resume
        </button>
      )}
      {active && (
        <button onClick={() => void control('cancelQueue')} title="Cancel the tracks waiting to be tagged">
          Cancel
        </button>
      )}
    </div>
  );
}
