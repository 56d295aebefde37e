import request from 'supertest';
import {
  ADMIN_TOKEN,
  type ApiTestApp,
  startApiTestApp,
  VIEWER_TOKEN,
} from './testing/api-test-app';

interface Operation {
  readonly method: string;
  readonly path: string;
}

/** A well-formed concrete path for a templated one (ids need not exist). */
function concrete(path: string): string {
  return path
    .replace('{runId}', '7b0c2f0e-8d1a-4c3e-9f55-2a6f3d1e9b10')
    .replace(/\{[^}]+\}/g, '2000001');
}

/**
 * Route coverage of the viewer role over HTTP, driven by the OpenAPI document (so a new admin
 * route is covered without editing this test): every admin GET admits a viewer (bearer and
 * cookie), every admin state-changing route refuses it with 403 FORBIDDEN and changes nothing.
 */
describe('viewer role on every admin route (e2e)', () => {
  let t: ApiTestApp;
  let operations: Operation[];
  let viewerCookie: string;
  let viewerCsrf: string;

  beforeAll(async () => {
    t = await startApiTestApp({ ADMIN_JOB_WAIT_SEC: '0' });
    await t.seed(2, 'lab-v-');
    const doc = await request(t.server).get('/v1/openapi.json').expect(200);
    const paths = doc.body.paths as Record<string, Record<string, unknown>>;
    operations = Object.entries(paths)
      .filter(([path]) => path.startsWith('/v1/admin/') && !path.startsWith('/v1/admin/session'))
      .flatMap(([path, methods]) =>
        Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
      );
    const signIn = await request(t.server)
      .post('/v1/admin/session')
      .send({ token: VIEWER_TOKEN })
      .expect(201);
    viewerCookie = String(([] as string[]).concat(signIn.headers['set-cookie'] ?? [])[0]).split(
      ';',
    )[0]!;
    viewerCsrf = signIn.body.csrf_token as string;
  });

  afterAll(async () => {
    await t?.close();
  });

  const send = (op: Operation, auth: (r: request.Test) => request.Test) =>
    auth(
      request(t.server)[op.method.toLowerCase() as 'get' | 'post' | 'delete'](concrete(op.path)),
    );
  const bearer = (token: string) => (r: request.Test) => r.set('Authorization', `Bearer ${token}`);
  const cookie = (r: request.Test) => r.set('Cookie', viewerCookie).set('X-CSRF-Token', viewerCsrf);

  it('finds the admin routes (so the checks below cannot pass vacuously)', () => {
    const names = operations.map((op) => `${op.method} ${op.path}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /v1/admin/stats',
        'GET /v1/admin/sandboxes',
        'GET /v1/admin/sandboxes/{id}',
        'GET /v1/admin/sandboxes/export.csv',
        'GET /v1/admin/stats/allocations',
        'GET /v1/admin/jobs/runs',
        'POST /v1/admin/sync',
        'POST /v1/admin/cleanup',
        'POST /v1/admin/bulk-delete',
        'POST /v1/admin/sandboxes/{id}/force-release',
      ]),
    );
    expect(operations.filter((op) => op.method !== 'GET').length).toBeGreaterThanOrEqual(7);
  });

  it('every admin GET admits a viewer, by bearer token and by session cookie', async () => {
    for (const op of operations.filter((o) => o.method === 'GET')) {
      for (const [how, auth] of [
        ['bearer', bearer(VIEWER_TOKEN)],
        ['cookie', cookie],
      ] as const) {
        const res = await send(op, auth);
        const name = `${how} ${op.method} ${op.path}`;
        expect({ name, refused: [401, 403].includes(res.status) }).toEqual({
          name,
          refused: false,
        });
      }
    }
  });

  it('every admin state-changing route refuses a viewer with 403 FORBIDDEN and changes nothing', async () => {
    const before = await t.scanTable();
    for (const op of operations.filter((o) => o.method !== 'GET')) {
      for (const auth of [bearer(VIEWER_TOKEN), cookie]) {
        const res = await send(op, auth).send({ reason: 'viewer' });
        expect({ op: `${op.method} ${op.path}`, status: res.status, code: res.body.code }).toEqual({
          op: `${op.method} ${op.path}`,
          status: 403,
          code: 'FORBIDDEN',
        });
      }
    }
    const after = (await t.scanTable()).filter(
      (item) => !String(item['PK']).startsWith('SESSION#'),
    );
    expect(after).toEqual(before.filter((item) => !String(item['PK']).startsWith('SESSION#')));
  });

  it('the same admin GETs admit an admin token', async () => {
    for (const op of operations.filter((o) => o.method === 'GET')) {
      const res = await send(op, bearer(ADMIN_TOKEN));
      const name = `${op.method} ${op.path}`;
      expect({ name, refused: [401, 403].includes(res.status) }).toEqual({ name, refused: false });
    }
  });
});
