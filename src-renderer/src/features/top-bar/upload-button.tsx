// Upload opens the upload dialog only when ClearML is set up; otherwise it is off, and says why
// next to it, with the way to set it up one click away.
import { useClearml } from '../../state/clearml-store';
import { openPanel } from '../../state/panel-store';

/** The Upload button, or Upload (off) with its reason. */
export function UploadButton(): React.JSX.Element {
  const settings = useClearml((s) => s.settings);
  const configured = settings?.configured ?? false;
  const reason = settings === null ? 'Reading the ClearML settings…' : 'ClearML is not set up: add its server and keys in Settings (or ~/clearml.conf)';
  return (
    <span className="upload-control">
      <button onClick={() => openPanel('upload')} disabled={!configured} title={configured ? 'Upload corrections to ClearML' : reason} aria-describedby={configured ? undefined : 'upload-reason'}>
        Upload
      </button>
      {settings !== null && !configured && (
        <button className="link reason" id="upload-reason" data-testid="upload-reason" onClick={() => openPanel('settings')} title={reason}>
          ClearML not set up
        </button>
      )}
    </span>
  );
}
