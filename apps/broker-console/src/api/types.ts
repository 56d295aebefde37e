// Wire shapes of the admin API the console reads (snake_case, as the API answers). Kept here
// rather than taken from @broker/client: that client authenticates with a bearer token, while the
// console signs in once and then relies on the session cookie.

export const SANDBOX_STATUSES = [
  'available',
  // Earmarked for a class reservation (only that reservation's track takes it).
  'reserved',
  'allocated',
  'pending_deletion',
  'deleting',
  'deleted',
  'stale',
  'deletion_failed',
  'quarantined',
] as const;
export type SandboxStatus = (typeof SANDBOX_STATUSES)[number];

export type Role = 'admin' | 'viewer';

/** `POST|GET /v1/admin/session`. */
export interface SessionView {
  readonly role: Role;
  readonly token_name: string;
  readonly expires_at: string;
  readonly csrf_token: string;
}

/** `GET /v1/admin/stats` (the parts the console shows). */
export interface PoolStatsView {
  readonly total: number;
  readonly by_status: Partial<Record<SandboxStatus, number>>;
  readonly by_prefix: Record<string, Partial<Record<SandboxStatus, number>>>;
  readonly generated_at: string;
  readonly age_seconds?: number;
  readonly last_sync_at?: string | null;
  readonly last_cleanup_at?: string | null;
}

export interface AllocationBucket {
  readonly start: string;
  readonly allocations: number;
}

/** `GET /v1/admin/stats/allocations?window=`. */
export interface AllocationStatsView {
  readonly window: StatsWindow;
  readonly bucket_seconds: number;
  readonly generated_at: string;
  readonly buckets: readonly AllocationBucket[];
}

export type StatsWindow = '24h' | '7d';

/** `GET /v1/admin/stats/tracks`. */
export interface TrackStatsView {
  readonly as_of: string | null;
  readonly tracks: readonly { readonly track: string; readonly allocated: number }[];
}

export const CLEANUP_OUTCOMES = [
  'deleted',
  'retried',
  'failed',
  'quarantined',
  'niosxaas_cleaned',
  'niosxaas_skipped',
  'niosxaas_failed',
] as const;
export type CleanupOutcome = (typeof CLEANUP_OUTCOMES)[number];
export type CleanupCounts = Readonly<Record<CleanupOutcome, number>>;

/** `GET /v1/admin/stats/cleanup?window=`. */
export interface CleanupStatsView {
  readonly window: StatsWindow;
  readonly bucket_seconds: number;
  readonly generated_at: string;
  readonly totals: CleanupCounts;
  readonly buckets: readonly (CleanupCounts & { readonly start: string })[];
}

/** One sandbox as the admin routes show it. Times are epoch seconds. */
export interface AdminSandbox {
  readonly sandbox_id: string;
  readonly name: string;
  readonly external_id: string;
  readonly status: SandboxStatus;
  readonly sfdc_account_id: string | null;
  readonly owner_id: string | null;
  readonly track_name: string | null;
  readonly allocated_at: number | null;
  readonly expires_at: number | null;
  readonly deletion_requested_at: number | null;
  readonly deletion_attempts: number;
  readonly next_attempt_at: number | null;
  readonly last_error: string | null;
  readonly quarantine_reason: string | null;
  readonly deleted_at: number | null;
  readonly stale_since: number | null;
  readonly created_at: number;
  readonly updated_at: number;
  readonly version: number;
}

/** `GET /v1/admin/sandboxes`. */
export interface SandboxPage {
  readonly sandboxes: readonly AdminSandbox[];
  readonly count: number;
  readonly cursor: string | null;
}

export interface SandboxEvent {
  readonly event_id: string;
  readonly at: string;
  readonly type: string;
  readonly sandbox_id: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly actor: { readonly kind: string; readonly id: string; readonly via: string | null };
  readonly action: string;
  readonly request_id: string | null;
  readonly details: Record<string, unknown> | null;
}

/** `GET /v1/admin/events`. */
export interface EventPage {
  readonly events: readonly SandboxEvent[];
  readonly count: number;
  readonly cursor: string | null;
}

export type JobName = 'sync' | 'cleanup';

/** A job run (`GET /v1/admin/jobs/runs/{id}`, the trigger answers, the recent-runs list). */
export interface JobRun {
  readonly status: string;
  readonly run_id: string;
  readonly job: string;
  readonly triggered_by: string;
  readonly started_at: string;
  readonly requested_at?: string;
  readonly finished_at?: string;
  readonly duration_ms?: number;
  readonly result?: Record<string, unknown>;
  readonly error?: string;
}

export interface JobRunList {
  readonly items: readonly JobRun[];
}

export const RESERVATION_STATUSES = ['confirmed', 'cancelled', 'ended'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

/** A class booking (`/v1/admin/reservations`). Times are epoch seconds. */
export interface Reservation {
  readonly reservation_id: string;
  readonly track: string;
  readonly count: number;
  readonly starts_at: number;
  readonly ends_at: number;
  /** Empty: any sandbox's name. */
  readonly name_prefix: string;
  readonly status: ReservationStatus;
  readonly earmark_at: number;
  readonly release_at: number;
  readonly release_unclaimed_after_minutes: number;
  readonly held: number;
  readonly allocated: number;
  readonly remaining: number;
  readonly created_at: number;
  readonly created_by: string;
  readonly updated_at: number;
}

/** `GET /v1/admin/reservations`. */
export interface ReservationPage {
  readonly reservations: readonly Reservation[];
  readonly count: number;
  readonly cursor: string | null;
}

/** `POST /v1/admin/reservations` body. */
export interface NewReservationBody {
  readonly track: string;
  readonly count: number;
  readonly starts_at: number;
  readonly ends_at: number;
  readonly name_prefix?: string;
  readonly release_unclaimed_after_minutes?: number;
}

/** One reservation window of the capacity forecast. */
export interface CapacityWindow {
  readonly reservation_id: string;
  readonly track: string;
  readonly name_prefix: string;
  readonly starts_at: number;
  readonly ends_at: number;
  readonly outstanding: number;
  readonly cumulative: number;
  readonly shortfall: number;
  readonly summary: string;
}

/** `GET /v1/admin/capacity[?prefix=]`. */
export interface CapacityView {
  readonly name_prefix: string;
  readonly available: number;
  readonly reserved: number;
  readonly held: number;
  readonly shortfall: number;
  readonly until: number;
  readonly windows: readonly CapacityWindow[];
}

/** A track's quota (`/v1/admin/tracks/{track}/quota`). */
export interface TrackQuota {
  readonly track: string;
  readonly max_allocated: number;
  readonly held: number;
  readonly updated_at: string;
}

/** `GET /v1/admin/tracks/quotas`. */
export interface TrackQuotaPage {
  readonly quotas: readonly TrackQuota[];
  readonly count: number;
  readonly cursor: string | null;
}
