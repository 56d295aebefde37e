import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../api/endpoints';
import type { TrackQuota } from '../api/types';
import { formatTime } from '../lib/format';
import {
  MAX_TRACK_QUOTA,
  quotaRequest,
  quotaUsage,
  removeQuotaConfirmText,
  setQuotaConfirmText,
} from '../lib/quotas';
import { ConfirmDialog } from './confirm-dialog';
import { ErrorBox } from './error-box';
import { FreshnessMark } from './freshness-mark';
import { Pager } from './pager';

export const QUOTA_PAGE_SIZE = 50;

type Pending =
  | { readonly kind: 'set'; readonly track: string; readonly max: number }
  | { readonly kind: 'remove'; readonly quota: TrackQuota };

/** Per-track quotas with held / max; admins set or remove one behind a confirmation. */
export function QuotaList({ canEdit }: { readonly canEdit: boolean }) {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const page = useQuery({
    queryKey: ['quotas', cursor],
    queryFn: () => api.quotas(QUOTA_PAGE_SIZE, cursor),
    placeholderData: keepPreviousData,
  });
  const [track, setTrack] = useState('');
  const [max, setMax] = useState('');
  const [errors, setErrors] = useState<{ track?: string; max?: string }>({});
  const [pending, setPending] = useState<Pending | null>(null);
  const queryClient = useQueryClient();
  const change = useMutation({
    mutationFn: async (p: Pending): Promise<void> => {
      if (p.kind === 'set') await api.setQuota(p.track, p.max);
      else await api.removeQuota(p.quota.track);
    },
    onSuccess: async (_, p) => {
      setPending(null);
      if (p.kind === 'set') {
        setTrack('');
        setMax('');
      }
      await queryClient.invalidateQueries({ queryKey: ['quotas'] });
    },
  });
  const current = (slug: string) => page.data?.quotas.find((q) => q.track === slug);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = quotaRequest(track, max);
    if (!result.ok) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    change.reset();
    setPending({ kind: 'set', track: result.track, max: result.max_allocated });
  };

  return (
    <section className="classes-section" data-testid="quotas">
      <div className="section-head">
        <h2>Track quotas</h2>
        {page.data ? <FreshnessMark generatedAt={null} receivedAtMs={page.dataUpdatedAt} /> : null}
      </div>
      {canEdit ? (
        <form className="filters" onSubmit={submit} noValidate data-testid="quota-form">
          <label>
            track
            <input
              value={track}
              maxLength={256}
              onChange={(e) => setTrack(e.target.value)}
              data-testid="quota-track"
            />
            {errors.track ? <span className="field-error">{errors.track}</span> : null}
          </label>
          <label>
            max sandboxes at once
            <input
              value={max}
              inputMode="numeric"
              size={7}
              placeholder={`0…${MAX_TRACK_QUOTA}`}
              onChange={(e) => setMax(e.target.value)}
              data-testid="quota-max"
            />
            {errors.max ? <span className="field-error">{errors.max}</span> : null}
          </label>
          <button type="submit" data-testid="quota-submit">
            Set quota
          </button>
        </form>
      ) : null}
      <ErrorBox error={page.error} what="Track quotas" />
      <table className="data" data-testid="quota-table">
        <thead>
          <tr>
            <th>track</th>
            <th>held / max</th>
            <th>updated</th>
            {canEdit ? <th /> : null}
          </tr>
        </thead>
        <tbody>
          {page.data?.quotas.map((q) => {
            const usage = quotaUsage(q);
            return (
              <tr key={q.track} data-track={q.track} className={usage.full ? 'short' : ''}>
                <td>{q.track}</td>
                <td data-field="usage">{usage.text}</td>
                <td>{formatTime(q.updated_at)}</td>
                {canEdit ? (
                  <td>
                    <button
                      type="button"
                      onClick={() => {
                        setTrack(q.track);
                        setMax(String(q.max_allocated));
                      }}
                      data-testid="quota-edit"
                    >
                      Edit
                    </button>{' '}
                    <button
                      type="button"
                      className="danger"
                      onClick={() => {
                        change.reset();
                        setPending({ kind: 'remove', quota: q });
                      }}
                      data-testid="quota-remove"
                    >
                      Remove
                    </button>
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
      {page.data && page.data.quotas.length === 0 ? (
        <p className="muted">No track has a quota: every track is unlimited.</p>
      ) : null}
      {cursors.length > 1 || page.data?.cursor ? (
        <Pager
          cursors={cursors}
          next={page.data?.cursor}
          busy={page.isPlaceholderData}
          onChange={setCursors}
        />
      ) : null}
      {pending ? (
        <ConfirmDialog
          title={pending.kind === 'set' ? 'Set the quota' : 'Remove the quota'}
          text={
            pending.kind === 'set'
              ? setQuotaConfirmText(pending.track, pending.max, current(pending.track))
              : removeQuotaConfirmText(pending.quota)
          }
          confirmLabel={
            pending.kind === 'set'
              ? `Set ${pending.track} to ${pending.max}`
              : `Remove the quota of ${pending.quota.track}`
          }
          pending={change.isPending}
          error={change.error}
          onConfirm={() => change.mutate(pending)}
          onCancel={() => setPending(null)}
        />
      ) : null}
    </section>
  );
}
