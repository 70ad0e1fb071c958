// Overall tagging progress: done/total, rate and ETA, with pause, resume and cancel. It keeps one
// width whatever it shows, so nothing around it moves when a queue starts or ends.
import { call } from '../../api/api';
import { notify } from '../../state/notice-store';
import { setQueueStatus, useQueue } from '../../state/queue-store';
import { formatClock } from '../format';

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
  const failed = status.failed > 0 ? ` · ${status.failed} failed` : '';
  const text = active
    ? // Most telling first: a narrow window cuts the end.
      `${status.state === 'paused' ? 'Paused · ' : ''}${status.done}/${status.total} tagged · ETA ${formatClock(status.etaSec) || '--:--'} · ${status.tracksPerSec.toFixed(1)} tracks/s${failed}`
    : status.total > 0
      ? `All ${status.done} tracks tagged${failed}`
      : 'Nothing to tag';
  return (
    <div className="queue-bar" role="status" aria-label="Tagging progress" title={[text, ...status.current].join('\n')}>
      <div className="progress" aria-hidden="true">
        <span style={{ width: `${Math.round(fraction * 100)}%` }} />
      </div>
      <span className="queue-text" data-testid="queue-text">
        {text}
      </span>
      {status.state === 'running' && (
        <button className="icon" onClick={() => void control('pauseQueue')} aria-label="Pause tagging" title="Pause tagging">
          <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
            <rect x="1" y="1" width="3" height="8" fill="currentColor" />
            <rect x="6" y="1" width="3" height="8" fill="currentColor" />
          </svg>
        </button>
      )}
      {status.state === 'paused' && (
        <button className="icon" onClick={() => void control('resumeQueue')} aria-label="Resume tagging" title="Resume tagging">
          ▶
        </button>
      )}
      {active && (
        <button className="icon" onClick={() => void control('cancelQueue')} aria-label="Cancel tagging" title="Cancel the tracks waiting to be tagged">
          ✕
        </button>
      )}
    </div>
  );
}
