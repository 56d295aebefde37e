/**
 * A whole lab the way a track runs it (issue #15): the bundled CLI with `node` — allocate → user
 * provision → user cleanup → release — against the real API over HTTP (dynalite underneath) and
 * the CSP simulator over HTTP, with injected provider 5xx on the user calls.
 */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '@broker/csp-simulator';
import { HttpCspClient } from '@broker/csp-client';
import { type ApiTestApp, startApiTestApp, TRACK_TOKEN } from '@broker/broker-api/testing';
import { bundledCli, runBundle } from './testing/cli-harness';

describe('sandbox-broker CLI: a lab with its user (e2e: API + CSP simulator)', () => {
  let api: ApiTestApp;
  let sim: RunningSimulator;
  let bundle: string;
  let apiUrl: string;

  beforeAll(async () => {
    [bundle, sim, api] = await Promise.all([
      bundledCli(),
      startSimulator({ poolSize: 3, withNoise: false, serviceEvery: 0 }),
      startApiTestApp(),
    ]);
    // The broker's pool is the simulator's accounts, as the worker's sync would write it.
    const accounts = await new HttpCspClient({
      baseUrl: sim.cspBaseUrl,
      token: sim.config.cspToken,
    }).listSandboxes();
    for (const account of accounts) await api.repository.upsertFromProvider(account);
    await api.app.listen(0, '127.0.0.1');
    apiUrl = `http://127.0.0.1:${(api.server.address() as AddressInfo).port}/v1`;
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await sim?.stop();
  });

  it('allocate → user provision → user cleanup → release', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-user-'));
    const participant = `student-${Date.now().toString(36)}`;
    const env = {
      BROKER_API_URL: apiUrl,
      BROKER_API_TOKEN: TRACK_TOKEN,
      INSTRUQT_PARTICIPANT_ID: participant,
      INSTRUQT_TRACK_SLUG: 'dns-basics',
      SANDBOX_NAME_PREFIX: '',
      BROKER_START_JITTER_SEC: '0',
      CSP_URL: sim.url,
      INFOBLOX_EMAIL: sim.config.niosEmail,
      INFOBLOX_PASSWORD: sim.config.niosPassword,
      USER_DOMAIN: 'infoblox.lab',
    };
    const run = (...args: string[]) => runBundle(bundle, args, env, dir);
    const file = (name: string) => readFileSync(join(dir, name), 'utf8').trim();

    expect((await run('allocate')).code).toBe(0);
    const account = file('sandbox_id.txt');
    expect(sim.store.users(account)).toEqual([]);

    // Two provider 5xx on the user creation: retried.
    sim.faults.add({ operation: 'user_create', status: 503, count: 2 });
    const provisioned = await run('user', 'provision', '--json');
    expect({ code: provisioned.code, err: provisioned.stderr }).toEqual({ code: 0, err: '' });
    const out = JSON.parse(provisioned.stdout) as { created: boolean; email: string };
    expect(out).toMatchObject({ created: true, email: `${participant}@infoblox.lab` });
    // The password is in its file (owner-only), never on stdout.
    const password = file('user_password.txt');
    expect(provisioned.stdout).not.toContain(password);
    expect(statSync(join(dir, 'user_password.txt')).mode & 0o077).toBe(0);
    const [user] = sim.store.users(account) ?? [];
    expect(user).toMatchObject({ email: `${participant}@infoblox.lab` });
    expect(sim.store.passwordOf(account, file('user_id.txt').split('/').pop()!)).toBe(password);

    // A second provision finds the user (the provider answers 409) and sets a new password.
    expect((await run('user', 'provision')).code).toBe(0);
    expect(sim.store.users(account)).toHaveLength(1);
    expect(file('user_password.txt')).not.toBe(password);

    const cleaned = await run('user', 'cleanup');
    expect(cleaned.code).toBe(0);
    expect(sim.store.users(account)).toEqual([]);
    // Cleanup again: the files say nothing is left to delete, or the user is already gone.
    expect((await run('user', 'cleanup')).code).toBe(0);

    expect((await run('release')).code).toBe(0);
    const status = await run('status', '--json');
    expect(JSON.parse(status.stdout)).toMatchObject({ sandbox: { status: 'pending_deletion' } });
  }, 60_000);

  it('user provision without operator credentials is bad input (exit 2), without calling CSP', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lab-user-'));
    const result = await runBundle(
      bundle,
      ['user', 'provision'],
      { INSTRUQT_PARTICIPANT_ID: 'x', CSP_URL: sim.url },
      dir,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/INFOBLOX_EMAIL/);
  });
});
