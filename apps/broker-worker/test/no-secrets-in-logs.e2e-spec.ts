import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { HttpCspClient } from '@broker/csp-client';
import { systemClock } from '@broker/domain';
import { createTestTable, startDynalite } from '@broker/dynamo-repo/testing';
import { loadWorkerConfig } from '../src/config/worker-config';
import { RunRequestPoller } from '../src/jobs/run-request-poller.service';
import { createDynamoStore, type DynamoStore } from '@broker/dynamo-repo';
import { createWorkerApp } from '../src/worker-app';

const CSP_TOKEN = 'e2e-worker-csp-token-secret-0001';

class Capture extends Writable {
  readonly chunks: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.chunks.push(chunk.toString('utf8'));
    done();
  }
}

/**
 * The worker is the only process holding the provider token: a provider that fails and echoes
 * the credential must not get it into the worker's logs or the run record an admin reads back.
 */
describe('worker: no provider secret in logs or run records (e2e)', () => {
  let engine: Awaited<ReturnType<typeof startDynalite>>;
  let csp: Server;
  let app: NestFastifyApplication;
  let store: DynamoStore;
  const logs = new Capture();

  beforeAll(async () => {
    csp = createServer((req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end(`<html>upstream broke; you sent ${req.headers.authorization ?? ''}</html>`);
    });
    await new Promise<void>((resolve) => csp.listen(0, '127.0.0.1', resolve));
    engine = await startDynalite();
    const table = await createTestTable(engine.endpoint);
    table.client.destroy();
    const config = loadWorkerConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'trace',
      JOBS_ENABLED: 'false',
      JOB_REQUEST_POLL_MS: '0',
      DDB_ENDPOINT_URL: engine.endpoint,
      DDB_TABLE_NAME: table.tableName,
      CSP_BASE_URL: `http://127.0.0.1:${(csp.address() as AddressInfo).port}/v2`,
      CSP_API_TOKEN: CSP_TOKEN,
    });
    store = createDynamoStore(config.persistence, { clock: systemClock });
    app = await createWorkerApp({
      config,
      store,
      provider: new HttpCspClient(config.csp),
      clock: systemClock,
      logStream: logs,
    });
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await engine?.stop();
    await new Promise((resolve) => csp?.close(resolve));
  });

  it('runs a requested sync that fails at the provider without leaking the token', async () => {
    const runId = randomUUID();
    const now = Date.now();
    expect(
      await store.runs.request({
        runId,
        job: 'sync',
        triggeredBy: 'ops',
        requestedAtMs: now,
        pickupDeadlineMs: now + 30_000,
      }),
    ).toBe(true);
    const started = await app.get(RunRequestPoller).pollOnce();
    expect(started).toHaveLength(1);
    const [record] = await Promise.all(started);
    expect(record).toMatchObject({ runId, status: 'failed' });
    expect(await store.runs.get(runId)).toMatchObject({ status: 'failed' });
    expect(JSON.stringify(await store.runs.get(runId))).not.toContain(CSP_TOKEN);

    const text = logs.chunks.join('');
    expect(text).toContain('run request picked up');
    expect(text).toMatch(/you sent Token (\*\*\*|\[redacted\])/);
    expect(text).not.toContain(CSP_TOKEN);
  });
});
