// The settings of writing tags into files: which categories go to which field, how many values,
// the confidence unconfirmed tags need, what happens to the file's own values, capitalisation,
// multi-value style, and write-as-you-review. Each change is saved at once.
import { useEffect, useState } from 'react';
import type { FileTagSettings, TagTargetKey } from '../../../../src-preload/contract';
import { call } from '../../api/api';
import { notify } from '../../state/notice-store';

const TARGET_LABELS: ReadonlyArray<[TagTargetKey, string]> = [
  ['genre', 'Genres'],
  ['descriptor', 'Descriptors'],
  ['era', 'Eras'],
  ['vocal', 'Vocals'],
  ['instrument', 'Instruments'],
  ['other', 'Other model tags'],
  ['unknown', 'Your own new tags'],
];

type Changes = Partial<Omit<FileTagSettings, 'targets'>> & { targets?: Partial<FileTagSettings['targets']> };

/** The settings form; `onSaved` runs after each saved change (the preview depends on them). */
export function FileTagSettingsForm({ onSaved }: { onSaved: () => void }): React.JSX.Element | null {
  const [settings, setSettings] = useState<FileTagSettings | null>(null);
  useEffect(() => {
    call('fileTagSettings', undefined).then(setSettings).catch((e: Error) => notify('error', e.message));
  }, []);
  if (!settings) return null;
  const save = (changes: Changes): void => {
    call('saveFileTagSettings', changes)
      .then((s) => {
        setSettings(s);
        onSaved();
      })
      .catch((e: Error) => notify('error', e.message));
  };
  return (
    <div className="file-tag-settings" data-testid="file-tag-settings">
      {TARGET_LABELS.map(([key, label]) => (
        <div key={key} style={{ display: 'contents' }}>
          <label htmlFor={`target-${key}`}>{label} go to</label>
          <select id={`target-${key}`} value={settings.targets[key]} onChange={(e) => save({ targets: { [key]: e.target.value as 'genre' | 'mood' | 'none' } })}>
            <option value="genre">the genre field</option>
            <option value="mood">the mood field</option>
            <option value="none">nowhere</option>
          </select>
        </div>
      ))}
      <label htmlFor="max-per-field">Values per field, at most</label>
      <input id="max-per-field" type="number" min={1} max={50} value={settings.maxPerField} onChange={(e) => Number(e.target.value) >= 1 && save({ maxPerField: Number(e.target.value) })} />
      <label htmlFor="min-confidence">Unreviewed tags need a confidence of</label>
      <input id="min-confidence" type="number" min={0} max={1} step={0.05} value={settings.minConfidence} onChange={(e) => save({ minConfidence: Math.min(1, Math.max(0, Number(e.target.value))) })} />
      <label htmlFor="existing">Values the file already has</label>
      <select id="existing" value={settings.existing} onChange={(e) => save({ existing: e.target.value as FileTagSettings['existing'] })}>
        <option value="merge">merge with eno's</option>
        <option value="keep">keep (write only empty fields)</option>
        <option value="replace">replace with eno's</option>
      </select>
      <label htmlFor="capitalisation">Capitalisation</label>
      <select id="capitalisation" value={settings.capitalisation} onChange={(e) => save({ capitalisation: e.target.value as FileTagSettings['capitalisation'] })}>
        <option value="title">Post-Rock</option>
        <option value="lower">post-rock</option>
        <option value="as-is">as the tag is named</option>
      </select>
      <label htmlFor="multi-value">Several values</label>
      <select id="multi-value" value={settings.multiValue} onChange={(e) => save({ multiValue: e.target.value as FileTagSettings['multiValue'] })}>
        <option value="separate">as separate values (ID3v2.4, MP4; Vorbis comments always)</option>
        <option value="joined">joined into one text</option>
      </select>
      <label htmlFor="separator">Separator (joined text, ID3v2.3 files)</label>
      <select id="separator" value={settings.separator} onChange={(e) => save({ separator: e.target.value })}>
        {['; ', ' / ', '/', ', '].map((s) => (
          <option key={s} value={s}>
            "{s}"
          </option>
        ))}
      </select>
      <label htmlFor="write-on-review">Write as you review</label>
      <span>
        <input id="write-on-review" type="checkbox" checked={settings.writeOnReview} onChange={(e) => save({ writeOnReview: e.target.checked })} />{' '}
        <span className="track-sub">write a track's tags into its file when you mark it reviewed</span>
      </span>
    </div>
  );
}
