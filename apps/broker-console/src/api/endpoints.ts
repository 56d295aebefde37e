import { capacityPath } from '../lib/capacity';
import { exportCsvPath, type SandboxFilters, sandboxListPath } from '../lib/filters';
import { quotaListPath, quotaPath } from '../lib/quotas';
import { type ReservationFilters, reservationListPath } from '../lib/reservations';
import { apiRequest } from './http';
import type {
  AdminSandbox,
  CapacityView,
  NewReservationBody,
  Reservation,
  ReservationPage,
  TrackQuota,
  TrackQuotaPage,
  AllocationStatsView,
  CleanupStatsView,
  EventPage,
  JobName,
  JobRun,
  JobRunList,
  PoolStatsView,
  SandboxPage,
  SessionView,
  StatsWindow,
  TrackStatsView,
} from './types';

const enc = encodeURIComponent;

/** Every admin call the console makes (same origin, session cookie). */
export const api = {
  signIn: (token: string) => apiRequest<SessionView>('POST', '/v1/admin/session', { token }),
  session: () => apiRequest<SessionView>('GET', '/v1/admin/session'),
  signOut: () => apiRequest<void>('DELETE', '/v1/admin/session'),

  stats: () => apiRequest<PoolStatsView>('GET', '/v1/admin/stats'),
  allocations: (window: StatsWindow) =>
    apiRequest<AllocationStatsView>('GET', `/v1/admin/stats/allocations?window=${window}`),
  tracks: () => apiRequest<TrackStatsView>('GET', '/v1/admin/stats/tracks'),
  cleanup: (window: StatsWindow) =>
    apiRequest<CleanupStatsView>('GET', `/v1/admin/stats/cleanup?window=${window}`),

  sandboxes: (filters: SandboxFilters, limit: number, cursor: string | null) =>
    apiRequest<SandboxPage>('GET', sandboxListPath(filters, limit, cursor)),
  exportCsvPath,
  sandbox: (id: string) => apiRequest<AdminSandbox>('GET', `/v1/admin/sandboxes/${enc(id)}`),
  events: (id: string, cursor: string | null) =>
    apiRequest<EventPage>(
      'GET',
      `/v1/admin/events?sandbox_id=${enc(id)}&limit=100${cursor ? `&cursor=${enc(cursor)}` : ''}`,
    ),

  retryDeletion: (id: string) =>
    apiRequest<AdminSandbox>('POST', `/v1/admin/sandboxes/${enc(id)}/retry-deletion`),
  quarantine: (id: string, reason: string) =>
    apiRequest<AdminSandbox>('POST', `/v1/admin/sandboxes/${enc(id)}/quarantine`, { reason }),
  forceRelease: (id: string) =>
    apiRequest<AdminSandbox>('POST', `/v1/admin/sandboxes/${enc(id)}/force-release`),

  runs: (job: JobName, limit: number) =>
    apiRequest<JobRunList>('GET', `/v1/admin/jobs/runs?job=${job}&limit=${limit}`),
  run: (runId: string) => apiRequest<JobRun>('GET', `/v1/admin/jobs/runs/${enc(runId)}`),
  trigger: (job: JobName) => apiRequest<JobRun>('POST', `/v1/admin/${job}`),

  capacity: (prefix: string) => apiRequest<CapacityView>('GET', capacityPath(prefix)),
  reservations: (filters: ReservationFilters, limit: number, cursor: string | null) =>
    apiRequest<ReservationPage>('GET', reservationListPath(filters, limit, cursor)),
  reservation: (id: string) => apiRequest<Reservation>('GET', `/v1/admin/reservations/${enc(id)}`),
  book: (body: NewReservationBody) =>
    apiRequest<Reservation>('POST', '/v1/admin/reservations', body),
  resize: (id: string, count: number) =>
    apiRequest<Reservation>('PATCH', `/v1/admin/reservations/${enc(id)}`, { count }),
  cancelReservation: (id: string) =>
    apiRequest<Reservation>('DELETE', `/v1/admin/reservations/${enc(id)}`),

  quotas: (limit: number, cursor: string | null) =>
    apiRequest<TrackQuotaPage>('GET', quotaListPath(limit, cursor)),
  setQuota: (track: string, maxAllocated: number) =>
    apiRequest<TrackQuota>('PUT', quotaPath(track), { max_allocated: maxAllocated }),
  removeQuota: (track: string) => apiRequest<void>('DELETE', quotaPath(track)),
};
