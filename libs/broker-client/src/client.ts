import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './generated/broker-api';
import { BrokerProblem } from './problem';
import { DEFAULT_RETRY_POLICY, type RetryHooks, type RetryPolicy, withRetries } from './retry';

export type SandboxView = components['schemas']['SandboxResponseDto'];
export type ReleaseView = components['schemas']['ReleaseResponseDto'];
export type ExtendView = components['schemas']['ExtendResponseDto'];
export type BrokerApi = Client<paths>;

export interface BrokerClientOptions extends RetryHooks {
  /** The broker's base URL, with or without the trailing `/v1` the original lab scripts used. */
  readonly baseUrl: string;
  readonly token: string;
  /** Per attempt: covers connecting and reading the whole answer. */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly fetch?: (input: Request) => Promise<Response>;
  readonly userAgent?: string;
}

export interface AllocateInput {
  readonly studentId: string;
  readonly trackSlug?: string;
  readonly namePrefix?: string;
  readonly idempotencyKey?: string;
}

/** A call's answer: the body and whether the allocation is new (201) or the student's own (200). */
export interface Answer<T> {
  readonly data: T;
  readonly status: number;
}

export interface BrokerClient {
  /** The whole API, typed from its OpenAPI document (track and admin routes; no retries). */
  readonly api: BrokerApi;
  /** `POST /v1/allocate`: retried on 429/5xx/timeouts (the broker is idempotent per student). */
  allocate(input: AllocateInput): Promise<Answer<SandboxView>>;
  /** `GET /v1/sandboxes/{id}` as the owning student (retried). */
  status(sandboxId: string, studentId: string): Promise<Answer<SandboxView>>;
  /** `POST /v1/sandboxes/{id}/mark-for-deletion` (a repeat is harmless, so retried). */
  release(sandboxId: string, studentId: string): Promise<Answer<ReleaseView>>;
  /**
   * `POST /v1/sandboxes/{id}/extend`. Not idempotent (every success is one more step), so never
   * retried: an answer lost after the broker applied it must not extend twice.
   */
  extend(sandboxId: string, studentId: string): Promise<Answer<ExtendView>>;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/** Strips a trailing `/` and `/v1`: the API document's paths already start with `/v1`. */
export function normalizeBaseUrl(url: string): string {
  return url.replace(/\/+$/, '').replace(/\/v1$/, '');
}

interface FetchResult {
  readonly data?: unknown;
  readonly error?: unknown;
  readonly response: Response;
}

export function createBrokerClient(options: BrokerClientOptions): BrokerClient {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const api = createClient<paths>({
    baseUrl,
    headers: {
      Authorization: `Bearer ${options.token}`,
      ...(options.userAgent ? { 'User-Agent': options.userAgent } : {}),
    },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  /** One attempt: a fresh timeout signal, the answer or a BrokerProblem. */
  async function attempt<T>(
    send: (signal: AbortSignal) => Promise<FetchResult>,
  ): Promise<Answer<T>> {
    let result: FetchResult;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      result = await send(signal);
    } catch (error) {
      throw BrokerProblem.fromTransport(error, baseUrl, signal.aborted);
    }
    if (!result.response.ok) throw BrokerProblem.fromResponse(result.response, result.error);
    return { data: result.data as T, status: result.response.status };
  }
  const retried = <T>(send: (signal: AbortSignal) => Promise<FetchResult>) =>
    withRetries(() => attempt<T>(send), policy, options);

  return {
    api,
    allocate: (input) =>
      retried<SandboxView>((signal) =>
        api.POST('/v1/allocate', {
          signal,
          params: {
            header: {
              'X-Instruqt-Sandbox-ID': input.studentId,
              ...(input.trackSlug ? { 'X-Instruqt-Track-ID': input.trackSlug } : {}),
              ...(input.namePrefix ? { 'X-Sandbox-Name-Prefix': input.namePrefix } : {}),
              ...(input.idempotencyKey ? { 'Idempotency-Key': input.idempotencyKey } : {}),
            },
          },
        }),
      ),
    status: (sandboxId, studentId) =>
      retried<SandboxView>((signal) =>
        api.GET('/v1/sandboxes/{id}', {
          signal,
          params: { path: { id: sandboxId }, header: { 'X-Instruqt-Sandbox-ID': studentId } },
        }),
      ),
    release: (sandboxId, studentId) =>
      retried<ReleaseView>((signal) =>
        api.POST('/v1/sandboxes/{id}/mark-for-deletion', {
          signal,
          params: { path: { id: sandboxId }, header: { 'X-Instruqt-Sandbox-ID': studentId } },
        }),
      ),
    extend: (sandboxId, studentId) =>
      attempt<ExtendView>((signal) =>
        api.POST('/v1/sandboxes/{id}/extend', {
          signal,
          params: { path: { id: sandboxId }, header: { 'X-Instruqt-Sandbox-ID': studentId } },
        }),
      ),
  };
}
