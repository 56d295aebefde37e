import request from 'supertest';
import { type ApiTestApp, startApiTestApp } from './testing/api-test-app';

describe('health and docs (e2e, dynalite)', () => {
  let t: ApiTestApp;

  beforeAll(async () => {
    t = await startApiTestApp({ DDB_PING_TIMEOUT_MS: '500' });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('GET /healthz answers without auth or dependencies', async () => {
    const res = await request(t.server).get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('is not under /v1', async () => {
    await request(t.server).get('/v1/healthz').expect(404);
  });

  it('serves the OpenAPI document and Swagger UI under /v1 with a docs-only CSP', async () => {
    const spec = await request(t.server).get('/v1/openapi.json').expect(200);
    expect(Object.keys(spec.body.paths)).toEqual(
      expect.arrayContaining([
        '/v1/allocate',
        '/v1/sandboxes/{id}',
        '/v1/sandboxes/{id}/mark-for-deletion',
        '/healthz',
        '/readyz',
      ]),
    );
    expect(spec.body.paths['/v1/allocate'].post.responses).toHaveProperty('201');
    expect(spec.body.paths['/v1/allocate'].post.responses).toHaveProperty('200');
    const ui = await request(t.server).get('/v1/docs').redirects(1).expect(200);
    expect(ui.text).toContain('swagger');
    expect(ui.headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
  });

  it('GET /readyz is 200 while DynamoDB answers and 503 (Terminus body) once it is gone', async () => {
    const up = await request(t.server).get('/readyz').expect(200);
    expect(up.body).toMatchObject({ status: 'ok', info: { dynamodb: { status: 'up' } } });

    await t.stopEngine();
    const down = await request(t.server).get('/readyz').expect(503);
    expect(down.headers['content-type']).toMatch(/^application\/json/);
    expect(down.body).toMatchObject({
      status: 'error',
      error: { dynamodb: { status: 'down' } },
    });
  });
});
