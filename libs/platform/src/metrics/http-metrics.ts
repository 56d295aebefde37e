import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Histogram, type Registry } from 'prom-client';

/** The original broker's request histogram name and buckets (it declared them, never observed). */
export const REQUEST_LATENCY_METRIC = 'broker_request_latency_seconds';
export const REQUEST_LATENCY_BUCKETS: readonly number[] = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5,
];
/** The `endpoint` label of requests that matched no route (404s): one series, not one per URL. */
export const UNMATCHED_ROUTE = 'unmatched';

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface HttpMetricsSettings {
  readonly registry: Registry;
  readonly name?: string;
  readonly buckets?: readonly number[];
}

type Observer = { observe(value: number): void };

/**
 * Observes every response's duration labelled by method, route template (`/v1/sandboxes/:id`,
 * never the raw URL) and status. Label values come from bounded sets only (registered routes,
 * known methods, status codes), and each label child is cached, so a request costs a Map lookup
 * and one observe.
 */
export function installHttpMetrics(fastify: FastifyInstance, settings: HttpMetricsSettings): void {
  const histogram = new Histogram({
    name: settings.name ?? REQUEST_LATENCY_METRIC,
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'endpoint', 'status'],
    buckets: [...(settings.buckets ?? REQUEST_LATENCY_BUCKETS)],
    registers: [settings.registry],
  });
  const children = new Map<string, Observer>();
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done) => {
    const method = KNOWN_METHODS.has(request.method) ? request.method : 'OTHER';
    const endpoint = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const status = reply.statusCode;
    const key = `${method} ${status} ${endpoint}`;
    let child = children.get(key);
    if (child === undefined) {
      child = histogram.labels({ method, endpoint, status: String(status) });
      children.set(key, child);
    }
    child.observe(reply.elapsedTime / 1000);
    done();
  });
}
