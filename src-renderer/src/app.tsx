import { useEffect, useState } from 'react';
import type { AppInfo } from '../../src-preload/contract';

/** The window's root component. */
export function App(): React.JSX.Element {
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    void window.eno?.appInfo(undefined).then((r) => r.ok && setInfo(r.value));
  }, []);
  return (
    <main>
      <h1>eno</h1>
      {info && (
        <p>
          {info.modelId} {info.modelVersion} on {info.provider}
        </p>
      )}
    </main>
  );
}
