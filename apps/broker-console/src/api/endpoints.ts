import { exportCsvPath, type SandboxFilters, sandboxListPath } from '../lib/filters';
import { apiRequest } from './http';
import type {
  AdminSandbox,
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
};
