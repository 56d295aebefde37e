import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { type ApiTestApp, startApiTestApp } from './testing/api-test-app';

const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
const INDEX =
  '<!doctype html><html><head><script type="module" src="/console/assets/app-1a2b.js"></script></head><body><div id="root"></div></body></html>';

/** The console SPA served by the API from a fixture dist dir (issue #14). */
describe('console static files (e2e)', () => {
  let t: ApiTestApp;
  let dist: string;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'console-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), INDEX);
    writeFileSync(join(dist, 'assets', 'app-1a2b.js'), 'console.log("app");\n');
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    t = await startApiTestApp({ CONSOLE_DIST_DIR: dist });
  });

  afterAll(async () => {
    await t?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  function expectSecurityHeaders(res: request.Response) {
    expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
  }

  it('serves index.html for /console, /console/ and client-side routes, with the console CSP', async () => {
    for (const path of ['/console', '/console/', '/console/sandboxes/123', '/console/runs']) {
      const res = await request(t.server).get(path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.text).toBe(INDEX);
      expect(res.headers['cache-control']).toBe('no-cache');
      expectSecurityHeaders(res);
    }
  });

  it('serves assets as files (immutable hashed assets) and 404s missing ones as problems', async () => {
    const js = await request(t.server).get('/console/assets/app-1a2b.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toContain('immutable');
    expectSecurityHeaders(js);
    expect((await request(t.server).get('/console/favicon.svg')).status).toBe(200);
    const missing = await request(t.server).get('/console/assets/gone-9999.js');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('never serves files outside the dist dir', async () => {
    for (const path of [
      '/console/../package.json',
      '/console/%2e%2e/%2e%2e/package.json',
      '/console/..%2fpackage.json',
    ]) {
      const res = await request(t.server).get(path);
      expect(res.text).not.toContain('"workspaces"');
    }
  });

  it('keeps the strict API CSP on API routes', async () => {
    const res = await request(t.server).get('/healthz');
    expect(res.headers['content-security-policy']).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
  });
});

describe('console static files when the console is not built (e2e)', () => {
  let t: ApiTestApp;
  let empty: string;

  beforeAll(async () => {
    empty = mkdtempSync(join(tmpdir(), 'console-empty-'));
    t = await startApiTestApp({ CONSOLE_DIST_DIR: empty });
  });

  afterAll(async () => {
    await t?.close();
    rmSync(empty, { recursive: true, force: true });
  });

  it('answers 404 problem CONSOLE_NOT_BUILT, not a 500', async () => {
    for (const path of ['/console', '/console/', '/console/sandboxes']) {
      const res = await request(t.server).get(path);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.text)).toMatchObject({ status: 404, code: 'CONSOLE_NOT_BUILT' });
    }
  });
});
