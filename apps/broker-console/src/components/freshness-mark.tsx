import { useEffect, useState } from 'react';
import { freshness } from '../lib/format';

/** "data as of …" with the age ticking every second; marked stale after three missed refreshes. */
export function FreshnessMark({
  generatedAt,
  receivedAtMs,
}: {
  readonly generatedAt: string | null | undefined;
  readonly receivedAtMs: number;
}) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const mark = freshness(generatedAt, receivedAtMs, now);
  return (
    <span className={mark.stale ? 'fresh stale' : 'fresh'} data-testid="freshness">
      {mark.label}
      {mark.stale ? ' — stale' : ''}
    </span>
  );
}
