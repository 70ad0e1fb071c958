// A track's embedded cover picture, or nothing when the file has none (the core answers 204 then,
// which the image reports as an error: it is simply left out).
import { useState } from 'react';
import { getTransport } from '../../api/api';

/** The cover, `sizePx` square; renders nothing once the picture turns out not to exist. */
export function CoverArt({ trackId, sizePx, className }: { trackId: number; sizePx: number; className?: string }): React.JSX.Element | null {
  const [missing, setMissing] = useState<number | null>(null);
  if (missing === trackId) return null;
  return (
    <img
      className={className ?? 'cover-art'}
      src={getTransport().coverUrl(trackId)}
      width={sizePx}
      height={sizePx}
      alt=""
      loading="lazy"
      decoding="async"
      onError={() => setMissing(trackId)}
    />
  );
}
