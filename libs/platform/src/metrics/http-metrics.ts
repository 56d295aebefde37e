import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { UnroutedAnswer } from '../http/fastify-http';

/** The original broker's request histogram name and buckets (it declared them, never observed). */
export const REQUEST_LATENCY_METRIC = 'broker_request_latency_seconds';
export const REQUEST_LATENCY_BUCKETS: readonly number[] = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5,
];
/** The `endpoint` label of requests that matched no route (404s): one series, not one per URL. */
export const UNMATCHED_ROUTE = 'unmatched';
/** The `endpoint` label of answers made before routing (malformed URL, over-long path id). */
export const UNROUTED = 'unrouted';
/** Answers to requests Node's HTTP parser refused or timed out (no method, route or duration). */
export const UNPARSED_RESPONSES_METRIC = 'broker_unparsed_responses_total';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface HttpMetricsSettings {
  readonly registry: Registry;
  readonly name?: string;
  readonly buckets?: readonly number[];
}

type Observer = { observe(value: number): void };

/** Returned by `installHttpMetrics`: records what the routed hooks cannot see. */
export interface HttpMetricsRecorder {
  /** Pass as `fastifyServerOptions({ onUnroutedAnswer })` (late-bound: see configure-app). */
  unrouted(answer: UnroutedAnswer): void;
}

/**
 * Observes every response's duration labelled by method, route template (`/v1/sandboxes/:id`,
 * never the raw URL) and status. Label values come from bounded sets only (registered routes,
 * known methods, status codes), and each label child is cached, so a request costs a Map lookup
 * and one observe.
 */
export function installHttpMetrics(
  fastify: FastifyInstance,
  settings: HttpMetricsSettings,
): HttpMetricsRecorder {
  const histogram = new Histogram({
    name: settings.name ?? REQUEST_LATENCY_METRIC,
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'endpoint', 'status'],
    buckets: [...(settings.buckets ?? REQUEST_LATENCY_BUCKETS)],
    registers: [settings.registry],
  });
  const unparsed = new Counter({
    name: UNPARSED_RESPONSES_METRIC,
    help: 'Answers to requests the HTTP parser refused or that missed a deadline, by status and code',
    labelNames: ['status', 'code'],
    registers: [settings.registry],
  });
  const children = new Map<string, Observer>();
  const observe = (rawMethod: string, endpoint: string, status: number, seconds: number) => {
    const method = KNOWN_METHODS.has(rawMethod) ? rawMethod : 'OTHER';
    const key = `${method} ${status} ${endpoint}`;
    let child = children.get(key);
    if (child === undefined) {
      child = histogram.labels({ method, endpoint, status: String(status) });
      children.set(key, child);
    }
    child.observe(seconds);
  };
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    observe(
      request.method,
      request.routeOptions.url ?? UNMATCHED_ROUTE,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
  return {
    unrouted: (answer) => {
      if (answer.seconds === undefined) {
        // Status and code come from a fixed table in answerClientError: a bounded label set.
        unparsed.inc({ status: String(answer.status), code: answer.code });
      } else {
        observe(answer.method, UNROUTED, answer.status, answer.seconds);
      }
    },
  };
}
