// The path field of browser mode: a folder on the machine running eno, given as a full path.
import { useEffect, useRef, useState } from 'react';
import { addFolder } from '../top-bar/add-folder';

/** A path field with its Add button; `autoFocus` puts the cursor in it. */
export function FolderField({ autoFocus = false }: { autoFocus?: boolean }): React.JSX.Element {
  const [path, setPath] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (autoFocus) input.current?.focus();
  }, [autoFocus]);
  return (
    <form
      className="folder-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (path.trim()) void addFolder(path.trim()).then((ok) => ok && setPath(''));
      }}
    >
      <input
        ref={input}
        type="text"
        aria-label="Folder to add"
        placeholder="/home/me/Music or ~/Music"
        value={path}
        onChange={(e) => setPath(e.target.value)}
      />
      <button className="primary" type="submit" disabled={!path.trim()}>
        Add folder
      </button>
    </form>
  );
}
