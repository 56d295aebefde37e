/**
 * The CLI the way an Instruqt track runs it: the bundled file with `node`, from a directory with
 * no node_modules, against the real API over HTTP (dynalite underneath), through a proxy that
 * injects 5xx and 429 answers.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { aProviderSandbox } from '@broker/domain/testing';
import {
  type ApiTestApp,
  OTHER_TRACK_TOKEN,
  startApiTestApp,
  TRACK_TOKEN,
} from '@broker/broker-api/testing';
import {
  bundledCli,
  closedPort,
  type FaultProxy,
  runBundle,
  startFaultProxy,
} from './testing/cli-harness';

describe('sandbox-broker CLI against the real API (e2e)', () => {
  let api: ApiTestApp;
  let restarted: ApiTestApp | undefined;
  let proxy: FaultProxy;
  let bundle: string;
  let student = 0;

  const listen = async (app: ApiTestApp) => {
    await app.app.listen(0, '127.0.0.1');
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    bundle = await bundledCli();
    api = await startApiTestApp();
    await api.seed(3, 'lab-null-'); // sfdc_account_id null
    await api.seed(1, 'lab-ext-'); // for the extend test, outside the exhaustion test's prefix
    await api.repository.upsertFromProvider(
      aProviderSandbox({ name: 'lab-sf-0001', sfdcAccountId: '001SAND000000000001' }),
    );
    proxy = await startFaultProxy(await listen(api));
  }, 60_000);

  afterAll(async () => {
    await proxy?.close();
    await restarted?.close();
    await api?.close().catch(() => undefined);
  });

  /** A fresh lab directory and participant, with the environment a track sets. */
  const lab = (overrides: Record<string, string> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-'));
    const env = {
      BROKER_API_URL: `${proxy.url}/v1`,
      BROKER_API_TOKEN: TRACK_TOKEN,
      INSTRUQT_PARTICIPANT_ID: `participant-${++student}-${Date.now().toString(36)}`,
      INSTRUQT_TRACK_SLUG: 'dns-basics',
      SANDBOX_NAME_PREFIX: 'lab-null-',
      BROKER_START_JITTER_SEC: '0',
      BROKER_RETRY_DELAY_MS: '20',
      ...overrides,
    };
    const run = (...args: string[]) => runBundle(bundle, args, env, dir);
    const file = (name: string) => readFileSync(join(dir, name), 'utf8');
    return { dir, env, run, file };
  };

  it('runs from a directory without node_modules', () => {
    let dir = dirname(bundle);
    for (; dirname(dir) !== dir; dir = dirname(dir))
      expect(existsSync(join(dir, 'node_modules'))).toBe(false);
    expect(readFileSync(bundle, 'utf8')).not.toMatch(
      /require\(["'](commander|openapi-fetch|@broker\/client)["']\)/,
    );
  });

  it('allocate → status → release, through two 503s and a 429 with Retry-After; null sfdc id is an empty file', async () => {
    const l = lab();
    proxy.faults.push(
      { status: 503 },
      { status: 503 },
      { status: 429, headers: { 'retry-after': '1' } },
    );
    const started = Date.now();
    const allocated = await l.run('allocate');
    expect(allocated.code).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // waited out Retry-After
    expect(allocated.stderr.match(/retrying in/g)).toHaveLength(3);
    expect(allocated.stdout).toMatch(/^allocated sandbox \d+ \(lab-null-\d{4}\) to participant-/);

    const id = l.file('subtenant_id.txt').trim();
    const uuid = l.file('external_id.txt').trim();
    expect(id).toMatch(/^\d+$/);
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(l.file('sandbox_id.txt').trim()).toBe(uuid);
    expect(l.file('sandbox_name.txt').trim()).toMatch(/^lab-null-\d{4}$/);
    expect(l.file('sfdc_account_id.txt')).toBe('\n');
    const sourced = execFileSync(
      'sh',
      [
        '-c',
        '. ./sandbox_env.sh && echo "$STUDENT_TENANT|$CSP_ACCOUNT_ID|$BROKER_SANDBOX_ID|$SFDC_ACCOUNT_ID|"',
      ],
      { cwd: l.dir, encoding: 'utf8' },
    );
    expect(sourced.trim()).toBe(`${l.file('sandbox_name.txt').trim()}|${uuid}|${id}||`);

    // A repeat (the lab script re-run) is the same sandbox.
    const again = await l.run('allocate', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      ok: true,
      created: false,
      sandbox: { sandbox_id: id },
    });

    const status = await l.run('status', '--json');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      ok: true,
      sandbox: { sandbox_id: id, status: 'allocated' },
    });

    proxy.faults.push({ status: 502 });
    const released = await l.run('release');
    expect(released.code).toBe(0);
    expect(released.stdout).toBe(`released sandbox ${id} (pending_deletion)\n`);
  });

  it('writes the Salesforce id when the sandbox has one', async () => {
    const l = lab({ SANDBOX_NAME_PREFIX: 'lab-sf-' });
    expect((await l.run('allocate')).code).toBe(0);
    expect(l.file('sfdc_account_id.txt')).toBe('001SAND000000000001\n');
    expect(l.file('sandbox_env.sh')).toContain("export SFDC_ACCOUNT_ID='001SAND000000000001'");
  });

  it('exit codes: pool exhausted 4, not owner 5, unknown id 6, bad token 3, unreachable 7, bad input 2', async () => {
    const exhausted = await lab({ SANDBOX_NAME_PREFIX: 'lab-none-' }).run('allocate');
    expect(exhausted.code).toBe(4);
    expect(exhausted.stderr).toMatch(
      /^sandbox-broker allocate: pool exhausted: .*\(NO_SANDBOXES_AVAILABLE, request /,
    );

    const owner = lab();
    expect((await owner.run('allocate')).code).toBe(0);
    const id = owner.file('subtenant_id.txt').trim();
    const intruder = await lab().run('status', id, '--json');
    expect(intruder.code).toBe(5);
    expect(JSON.parse(intruder.stdout)).toMatchObject({
      ok: false,
      exit_code: 5,
      code: 'NOT_SANDBOX_OWNER',
      status: 403,
      request_id: expect.any(String),
    });
    expect((await lab().run('release', id)).code).toBe(5);

    expect((await lab().run('status', '99999999')).code).toBe(6);
    expect((await lab({ BROKER_API_TOKEN: 'not-a-real-token-0000' }).run('allocate')).code).toBe(3);
    expect((await lab({ BROKER_API_TOKEN: OTHER_TRACK_TOKEN }).run('status', id)).code).toBe(5);

    const down = await lab({
      BROKER_API_URL: `http://127.0.0.1:${await closedPort()}/v1`,
      BROKER_RETRIES: '1',
    }).run('status', '1');
    expect(down.code).toBe(7);
    expect(down.stderr).toMatch(/broker unreachable/);

    const missing = await runBundle(bundle, ['allocate'], {}, owner.dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect((await lab().run('status')).code).toBe(2); // no id, no files
    expect((await lab().run('release')).stdout).toMatch(/^nothing to release/); // exit 0, as the original
  });

  it('extend: one step per call from subtenant_id.txt, then exit 8 at the limit', async () => {
    const l = lab({ SANDBOX_NAME_PREFIX: 'lab-ext-' });
    expect((await l.run('allocate')).code).toBe(0);
    const id = l.file('subtenant_id.txt').trim();
    const before = (await api.repository.get(id))!.expiresAt!;
    const first = await l.run('extend', '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      ok: true,
      result: { sandbox_id: id, expires_at: before + 3600, extension_count: 1, extensions_left: 1 },
    });
    expect((await l.run('extend')).stdout).toMatch(
      /^extended sandbox .* \(0 extension\(s\) left\)/,
    );
    const refused = await l.run('extend', id, '--json');
    expect(refused.code).toBe(8);
    expect(JSON.parse(refused.stdout)).toMatchObject({
      ok: false,
      exit_code: 8,
      code: 'EXTENSION_LIMIT_REACHED',
      status: 409,
    });
    expect((await lab().run('extend', id)).code).toBe(5);
    expect((await lab().run('extend')).code).toBe(2); // no id, no files
    expect((await api.repository.get(id))!.expiresAt).toBe(before + 7200);
  });

  it('release after the broker restarted, from the files written before', async () => {
    const l = lab();
    expect((await l.run('allocate')).code).toBe(0);
    const id = l.file('subtenant_id.txt').trim();

    await api.app.close();
    const down = await l.run('release', '--retries', '0');
    expect(down.code).toBe(7); // proxy answers 502: the broker is gone
    restarted = await startApiTestApp({}, {}, { endpoint: api.endpoint, tableName: api.tableName });
    proxy.target = await listen(restarted);

    const released = await l.run('release', '--json');
    expect(released.code).toBe(0);
    expect(JSON.parse(released.stdout)).toMatchObject({
      ok: true,
      result: { sandbox_id: id, status: 'pending_deletion' },
    });
    expect((await restarted.repository.get(id))?.status).toBe('pending_deletion');
  });
});
