/**
 * Previous/next paging over the API's opaque cursors. `cursors` is the stack of cursors that
 * opened each page so far (`null` for the first); "Next" pushes `next` (the current answer's
 * cursor), "Previous" pops. `busy`: the shown page is a placeholder while the next one loads.
 */
export function Pager(props: {
  readonly cursors: readonly (string | null)[];
  readonly next: string | null | undefined;
  readonly busy: boolean;
  readonly onChange: (cursors: (string | null)[]) => void;
  readonly nextTestId?: string;
}) {
  const { cursors, next, busy, onChange, nextTestId } = props;
  return (
    <div className="pager">
      <button
        type="button"
        disabled={cursors.length < 2}
        onClick={() => onChange(cursors.slice(0, -1))}
      >
        Previous page
      </button>
      <span className="muted">page {cursors.length}</span>
      <button
        type="button"
        data-testid={nextTestId}
        disabled={!next || busy}
        onClick={() => onChange([...cursors, next ?? null])}
      >
        Next page
      </button>
    </div>
  );
}
