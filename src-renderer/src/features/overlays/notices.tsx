// Messages in the corner.
import { dismiss, useNotices } from '../../state/notice-store';

/** The stack of current messages. */
export function Notices(): React.JSX.Element {
  const notices = useNotices((s) => s.notices);
  return (
    <div className="notices" aria-live="polite">
      {notices.map((n) => (
        <div key={n.id} className={`notice ${n.level}`} role={n.level === 'error' ? 'alert' : 'status'} onClick={() => dismiss(n.id)}>
          {n.message}
        </div>
      ))}
    </div>
  );
}
