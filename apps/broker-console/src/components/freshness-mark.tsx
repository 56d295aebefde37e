import { freshness } from '../lib/format';
import { useNow } from './use-now';

/** "data as of …" with the age ticking every second; marked stale after three missed refreshes. */
export function FreshnessMark({
  generatedAt,
  receivedAtMs,
}: {
  readonly generatedAt: string | null | undefined;
  readonly receivedAtMs: number;
}) {
  const now = useNow();
  const mark = freshness(generatedAt, receivedAtMs, now);
  return (
    <span className={mark.stale ? 'fresh stale' : 'fresh'} data-testid="freshness">
      {mark.label}
      {mark.stale ? ' — stale' : ''}
    </span>
  );
}
