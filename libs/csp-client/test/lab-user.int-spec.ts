import {
  generateLabUserPassword,
  meetsLabPasswordPolicy,
  type LabUserProvisionResult,
} from '../src';
import { labUserClientFor, startSimulator, uuid, type RunningSimulator } from './testing/harness';

const EMAIL = 'student-42@infoblox.lab';

function provisioned(result: LabUserProvisionResult) {
  if (result.kind !== 'provisioned') throw new Error(`not provisioned: ${JSON.stringify(result)}`);
  return result;
}

describe('LabUserClient against the simulator (reference §5.8)', () => {
  let sim: RunningSimulator;
  let account: { id: string; uuid: string };
  let other: { id: string; uuid: string };

  beforeAll(async () => {
    sim = await startSimulator({ poolSize: 5 });
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(() => {
    sim.reset();
    const [a, b] = sim.store.list().filter((x) => x.account_type === 'sandbox');
    account = { id: a!.id, uuid: uuid(a!.id) };
    other = { id: b!.id, uuid: uuid(b!.id) };
  });

  const groupIdsByName = (u: string, ...names: string[]) =>
    names.map((n) => sim.store.groups(u)!.find((g) => g.name === n)!.id).sort();

  it('creates the user in the right account, in the user and act_admin groups, with a password', async () => {
    const { client } = labUserClientFor(sim);
    const result = provisioned(
      await client.provision({ sandboxExternalId: account.id, email: EMAIL }),
    );
    expect(result.created).toBe(true);
    const { credentials } = result;
    expect(credentials).toEqual({
      email: EMAIL,
      password: expect.any(String),
      userId: expect.stringMatching(/^identity\/users\/[0-9a-f-]{36}$/),
      accountId: account.id,
    });
    expect(meetsLabPasswordPolicy(credentials.password)).toBe(true);

    const users = sim.store.users(account.uuid)!;
    expect(users).toHaveLength(1);
    expect(users[0]).toMatchObject({
      id: credentials.userId,
      email: EMAIL,
      name: 'student-42',
      type: 'interactive',
    });
    expect([...users[0]!.group_ids].sort()).toEqual(
      groupIdsByName(account.uuid, 'user', 'act_admin'),
    );
    expect(sim.store.passwordOf(account.uuid, uuid(credentials.userId))).toBe(credentials.password);
    expect(sim.store.users(other.uuid)).toEqual([]); // nothing in any other account
  });

  it('accepts the bare uuid (as the lab writes sandbox_id.txt)', async () => {
    const { client } = labUserClientFor(sim);
    const result = provisioned(
      await client.provision({ sandboxExternalId: account.uuid, email: EMAIL, name: 'Student' }),
    );
    expect(result.credentials.accountId).toBe(account.id);
    expect(sim.store.users(account.uuid)![0]!.name).toBe('Student');
  });

  it('a second provision gets 409, finds the existing user and sets a new password', async () => {
    const { client } = labUserClientFor(sim);
    const first = provisioned(
      await client.provision({ sandboxExternalId: account.id, email: EMAIL }),
    );
    const second = provisioned(
      await client.provision({ sandboxExternalId: account.id, email: EMAIL.toUpperCase() }),
    );
    expect(second.created).toBe(false);
    expect(second.credentials.userId).toBe(first.credentials.userId);
    expect(second.credentials.password).not.toBe(first.credentials.password);
    expect(sim.store.users(account.uuid)).toHaveLength(1);
    expect(sim.store.passwordOf(account.uuid, uuid(first.credentials.userId))).toBe(
      second.credentials.password,
    );
    expect(sim.stats.snapshot().operations.user_create.byStatus).toMatchObject({ 409: 1 });
    expect(sim.stats.callsFor('users_list')).toBe(1);
  });

  it('an injected 409 for a user that cannot be found is retryable, not a success', async () => {
    sim.faults.add({ operation: 'user_create', status: 409, count: 1 });
    const { client } = labUserClientFor(sim);
    expect(await client.provision({ sandboxExternalId: account.id, email: EMAIL })).toEqual({
      kind: 'retryable',
      reason: `Lab user lookup: create answered 409 (exists) but no user ${EMAIL} was found`,
    });
  });

  it('retries injected 5xx on every step (POSTs included) and then succeeds', async () => {
    for (const operation of [
      'sign_in',
      'account_switch',
      'groups_list',
      'user_create',
      'user_password',
    ] as const) {
      sim.faults.add({ operation, status: 503, count: 1 });
    }
    sim.faults.add({ operation: 'groups_list', status: 502, html: true, count: 1 });
    const { client, retries } = labUserClientFor(sim, {
      retry: { maxRetries: 3, initialDelayMs: 5, maxDelayMs: 20 },
    });
    const result = provisioned(
      await client.provision({ sandboxExternalId: account.id, email: EMAIL }),
    );
    expect(result.created).toBe(true);
    expect(retries.map((r) => r.operation)).toEqual([
      'sign_in',
      'account_switch',
      'groups_list',
      'groups_list',
      'user_create',
      'user_password',
    ]);
    expect(retries.every((r) => r.upstream === 'csp')).toBe(true);
    expect(sim.store.users(account.uuid)).toHaveLength(1);
  });

  it('the lookup after a 409 is retried on 5xx', async () => {
    const { client } = labUserClientFor(sim);
    const first = provisioned(
      await client.provision({ sandboxExternalId: account.id, email: EMAIL }),
    );
    sim.faults.add({ operation: 'users_list', status: 500, count: 1 });
    const again = provisioned(
      await client.provision({ sandboxExternalId: account.id, email: EMAIL }),
    );
    expect(again).toMatchObject({
      created: false,
      credentials: { userId: first.credentials.userId },
    });
  });

  it('5xx that does not stop is retryable after the bounded retries', async () => {
    sim.faults.add({ operation: 'user_create', status: 500 });
    const { client } = labUserClientFor(sim);
    expect(await client.provision({ sandboxExternalId: account.id, email: EMAIL })).toMatchObject({
      kind: 'retryable',
      status: 500,
      reason: expect.stringMatching(/^Lab user create: HTTP 500/),
    });
    expect(sim.stats.callsFor('user_create')).toBe(3); // 1 + maxRetries 2
    expect(sim.store.users(account.uuid)).toEqual([]);
  });

  it('a hung call times out within its deadline as retryable', async () => {
    sim.faults.add({ operation: 'groups_list', hang: true });
    const { client } = labUserClientFor(sim, { timeoutMs: 100, retry: { maxRetries: 0 } });
    expect(await client.provision({ sandboxExternalId: account.id, email: EMAIL })).toEqual({
      kind: 'retryable',
      reason: 'Lab user groups: timed out after 100 ms',
    });
  });

  it.each([
    ['a 200 HTML page', { status: 200, html: true }],
    ['a 201 under text/plain', { status: 201, contentType: 'text/plain' }],
  ])('%s from user create is a failure, not a success', async (_label, fault) => {
    sim.faults.add({ operation: 'user_create', ...fault });
    const { client } = labUserClientFor(sim);
    const result = await client.provision({ sandboxExternalId: account.id, email: EMAIL });
    expect(result).toMatchObject({
      kind: 'retryable',
      reason: expect.stringMatching(/^Lab user create: answer is not the provider's/),
    });
    expect(sim.stats.callsFor('user_password')).toBe(0);
  });

  it('an HTML 200 to the password set is a failure, and the password is not in the reason', async () => {
    sim.faults.add({ operation: 'user_password', status: 200, html: true });
    const { client } = labUserClientFor(sim);
    const result = await client.provision({ sandboxExternalId: account.id, email: EMAIL });
    expect(result).toMatchObject({
      kind: 'retryable',
      reason: expect.stringMatching(/^Lab user set password: answer is not the provider's/),
    });
  });

  it('no password (operator or generated) is in a failed result or a retry reason', async () => {
    sim.faults.add({ operation: 'user_password', status: 500 });
    const { client, retries } = labUserClientFor(sim);
    const failed = await client.provision({ sandboxExternalId: account.id, email: EMAIL });
    expect(failed).toMatchObject({ kind: 'retryable', status: 500 });
    expect(retries.map((r) => r.operation)).toEqual(['user_password', 'user_password']);
    expect(Object.keys(failed).sort()).toEqual(['kind', 'reason', 'status']); // no credentials
    // A wrong operator password is reported without repeating it.
    const wrong = labUserClientFor(sim, { password: 'operator-secret-XYZ' }).client;
    const denied = await wrong.provision({ sandboxExternalId: account.id, email: EMAIL });
    expect(denied).toMatchObject({ kind: 'permanent', status: 401 });
    const text = JSON.stringify([failed, denied, retries]);
    expect(text).not.toContain(sim.config.niosPassword);
    expect(text).not.toContain('operator-secret-XYZ');
    expect(text).not.toMatch(/eyJ[\w-]+\./); // no session token either
  });

  it('groupNames: joins only the configured groups', async () => {
    const { client } = labUserClientFor(sim, { groupNames: ['user'] });
    const result = provisioned(
      await client.provision({ sandboxExternalId: account.id, email: EMAIL }),
    );
    expect(sim.store.users(account.uuid)![0]!.group_ids).toEqual(
      groupIdsByName(account.uuid, 'user'),
    );
    expect(result.credentials.password).toHaveLength(20);
  });

  it('an account without act_admin is a permanent failure naming the group; no user created', async () => {
    sim.store.removeGroup(account.uuid, 'act_admin');
    const { client } = labUserClientFor(sim);
    expect(await client.provision({ sandboxExternalId: account.id, email: EMAIL })).toEqual({
      kind: 'permanent',
      reason: 'Lab user groups: the account has no group named act_admin',
    });
    expect(sim.stats.callsFor('user_create')).toBe(0);
  });

  it('an unknown account fails at the switch (permanent, 404); bad input makes no call', async () => {
    const { client } = labUserClientFor(sim);
    expect(
      await client.provision({
        sandboxExternalId: 'identity/accounts/00000000-0000-4000-8000-00000000dead',
        email: EMAIL,
      }),
    ).toMatchObject({
      kind: 'permanent',
      status: 404,
      reason: expect.stringMatching(/^Lab user account switch: HTTP 404/),
    });
    const calls = sim.stats.callsFor('sign_in');
    for (const bad of [
      { sandboxExternalId: '', email: EMAIL },
      { sandboxExternalId: 'identity/accounts/../x', email: EMAIL },
      { sandboxExternalId: account.id, email: 'not-an-address' },
      { sandboxExternalId: account.id, email: 'a"b@x.lab' },
    ]) {
      expect(await client.provision(bad)).toMatchObject({ kind: 'permanent' });
    }
    expect(sim.stats.callsFor('sign_in')).toBe(calls);
  });

  describe('cleanup', () => {
    it('deletes the user; a second cleanup finds it already gone', async () => {
      const { client } = labUserClientFor(sim);
      const { credentials } = provisioned(
        await client.provision({ sandboxExternalId: account.id, email: EMAIL }),
      );
      expect(
        await client.cleanup({ sandboxExternalId: account.id, userId: credentials.userId }),
      ).toEqual({ kind: 'deleted' });
      expect(sim.store.users(account.uuid)).toEqual([]);
      expect(
        await client.cleanup({ sandboxExternalId: account.uuid, userId: uuid(credentials.userId) }),
      ).toEqual({ kind: 'already-gone' });
    });

    it('cleanup of a user that never existed is fine', async () => {
      const { client } = labUserClientFor(sim);
      expect(
        await client.cleanup({
          sandboxExternalId: account.id,
          userId: 'identity/users/00000000-0000-4000-8000-000000000404',
        }),
      ).toEqual({ kind: 'already-gone' });
    });

    it('retries a 5xx delete; an HTML 404 is not "already gone"', async () => {
      const { client, retries } = labUserClientFor(sim);
      const { credentials } = provisioned(
        await client.provision({ sandboxExternalId: account.id, email: EMAIL }),
      );
      sim.faults.add({ operation: 'user_delete', status: 502, count: 1 });
      expect(
        await client.cleanup({ sandboxExternalId: account.id, userId: credentials.userId }),
      ).toEqual({ kind: 'deleted' });
      expect(retries.map((r) => r.operation)).toEqual(['user_delete']);

      sim.faults.add({ operation: 'user_delete', status: 404, html: true });
      expect(
        await client.cleanup({ sandboxExternalId: account.id, userId: credentials.userId }),
      ).toMatchObject({ kind: 'retryable', status: 404 });
    });

    it('a 200 HTML page to the delete is a failure, and the user is still there', async () => {
      const { client } = labUserClientFor(sim);
      const { credentials } = provisioned(
        await client.provision({ sandboxExternalId: account.id, email: EMAIL }),
      );
      sim.faults.add({ operation: 'user_delete', status: 200, html: true });
      expect(
        await client.cleanup({ sandboxExternalId: account.id, userId: credentials.userId }),
      ).toMatchObject({
        kind: 'retryable',
        reason: expect.stringMatching(
          /^Lab user delete identity\/users\/.+: answer is not the provider's/,
        ),
      });
      expect(sim.store.users(account.uuid)).toHaveLength(1);
    });
  });
});

describe('generateLabUserPassword', () => {
  it('meets the policy every time, at any allowed length, and differs each time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const p = generateLabUserPassword(16 + (i % 20));
      expect(meetsLabPasswordPolicy(p)).toBe(true);
      seen.add(p);
    }
    expect(seen.size).toBe(500);
    expect(generateLabUserPassword()).toHaveLength(20);
  });

  it('refuses a length outside 16..128', () => {
    expect(() => generateLabUserPassword(12)).toThrow(RangeError);
    expect(() => generateLabUserPassword(129)).toThrow(RangeError);
  });
});
