import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { installHttpMetrics, REQUEST_LATENCY_METRIC } from './http-metrics';

describe('installHttpMetrics', () => {
  it('labels by route template, method and status; unmatched URLs share one label', async () => {
    const registry = new Registry();
    const fastify = Fastify();
    installHttpMetrics(fastify, { registry });
    fastify.get('/items/:id', (request, reply) => {
      void reply.code((request.params as { id: string }).id === 'missing' ? 404 : 200).send('x');
    });
    for (const url of ['/items/1', '/items/2', '/items/missing', '/nope/123', '/nope/456']) {
      await fastify.inject({ method: 'GET', url });
    }
    // Fastify accepts any method name on the wire; it must still be one label value.
    await fastify.inject({ method: 'PROPFIND' as 'GET', url: '/items/1' });
    const text = await registry.metrics();
    const count = (labels: string) =>
      text
        .split('\n')
        .find((line) => line.startsWith(`${REQUEST_LATENCY_METRIC}_count{${labels}} `))
        ?.split(' ')[1];
    expect(count('method="GET",endpoint="/items/:id",status="200"')).toBe('2');
    expect(count('method="GET",endpoint="/items/:id",status="404"')).toBe('1');
    expect(count('method="GET",endpoint="unmatched",status="404"')).toBe('2');
    expect(count('method="OTHER",endpoint="unmatched",status="404"')).toBe('1');
    expect(text.match(new RegExp(`^${REQUEST_LATENCY_METRIC}_count`, 'gm'))).toHaveLength(4);
    expect(text).not.toContain('/nope');
    expect(text).toContain('le="0.075"');
    await fastify.close();
  });
});
