import { CspClientError } from '../src';
import {
  activeSandboxes,
  clientFor,
  startSimulator,
  uuid,
  type RunningSimulator,
} from './testing/harness';

/**
 * Issue #12 item 1: only an answer that is recognisably the provider's (JSON content type and a
 * JSON object body, or an empty 204) proves anything, and a delete is `gone` only once a read-back
 * no longer lists the account as active.
 */
describe('answers that are not the provider’s prove nothing', () => {
  let sim: RunningSimulator;
  let victim: string;

  beforeAll(async () => {
    sim = await startSimulator({ poolSize: 10 });
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(() => {
    sim.reset();
    victim = activeSandboxes(sim)[3]!.id;
  });

  const stillActive = () => sim.store.get(uuid(victim))?.state === 'active';
  const noRetries = { retry: { maxRetries: 0 } };

  it('delete answered 200 with an HTML page: retryable, never gone', async () => {
    sim.faults.add({ operation: 'delete', status: 200, html: true });
    const { client } = clientFor(sim, noRetries);
    const result = await client.deleteSandbox(victim);
    expect(result).toMatchObject({
      kind: 'retryable',
      status: 200,
      reason: expect.stringMatching(
        /^CSP delete: answer is not the provider's \(HTTP 200, text\/html/,
      ),
    });
    expect(stillActive()).toBe(true);
  });

  it('delete answered 200 with JSON under a wrong content type: retryable', async () => {
    sim.faults.add({ operation: 'delete', status: 200, contentType: 'text/plain' });
    const { client } = clientFor(sim, noRetries);
    expect((await client.deleteSandbox(victim)).kind).toBe('retryable');
    expect(stillActive()).toBe(true);
  });

  it('a 204 claiming an HTML body type is not the provider’s', async () => {
    sim.faults.add({ operation: 'delete', status: 204, html: true });
    const { client } = clientFor(sim, noRetries);
    expect((await client.deleteSandbox(victim)).kind).toBe('retryable');
  });

  it('a proxy’s HTML 404 (wrong path) is not "already gone"', async () => {
    sim.faults.add({ operation: 'delete', status: 404, html: true });
    const { client } = clientFor(sim, noRetries);
    expect(await client.deleteSandbox(victim)).toMatchObject({ kind: 'retryable', status: 404 });
    expect(stillActive()).toBe(true);
  });

  it('a provider-shaped 200 while the account stays active fails the read-back', async () => {
    sim.faults.add({ operation: 'delete', status: 200 }); // JSON {} but nothing deleted
    const { client } = clientFor(sim, noRetries);
    expect(await client.deleteSandbox(victim)).toEqual({
      kind: 'retryable',
      reason: 'CSP delete: accepted, but the provider still lists the account as active',
    });
    expect(stillActive()).toBe(true);
  });

  it('an unverifiable delete (read-back answered by a proxy) is retryable', async () => {
    sim.faults.add({ operation: 'list', status: 200, html: true });
    const { client } = clientFor(sim, noRetries);
    expect(await client.deleteSandbox(victim)).toMatchObject({
      kind: 'retryable',
      reason: expect.stringMatching(/^CSP delete: accepted, not verified: CSP read: answer is not/),
    });
  });

  it('readAccount: active, then inactive once deleted', async () => {
    const { client } = clientFor(sim, noRetries);
    expect(await client.readAccount(victim)).toEqual({ kind: 'active' });
    sim.store.delete(uuid(victim), 0);
    expect(await client.readAccount(victim)).toEqual({ kind: 'inactive' });
  });

  it('a list page answered 200 with an HTML page is a retryable error, not an empty pool', async () => {
    sim.faults.add({ operation: 'list', status: 200, html: true });
    const { client } = clientFor(sim, noRetries);
    const error = (await client.listSandboxes().catch((e: unknown) => e)) as CspClientError;
    expect(error).toBeInstanceOf(CspClientError);
    expect(error.kind).toBe('retryable');
  });

  it('NIOSXaaS: a service delete answered 200 with HTML is not a deletion', async () => {
    const withService = activeSandboxes(sim).find((a) =>
      (sim.store.services(uuid(a.id)) ?? []).some((s) => s.name === 'Instrqt-SaaS'),
    )!;
    sim.faults.add({ operation: 'service_delete', status: 200, html: true });
    const { client } = clientFor(sim, noRetries);
    const result = await client.cleanupUniversalServices(withService.id);
    expect(result.kind).toBe('retryable');
    expect(sim.store.services(uuid(withService.id))?.some((s) => s.name === 'Instrqt-SaaS')).toBe(
      true,
    );
  });

  it('NIOSXaaS: a services list answered 200 with HTML is retryable, not "nothing to delete"', async () => {
    sim.faults.add({ operation: 'services_list', status: 200, html: true });
    const { client } = clientFor(sim, noRetries);
    expect((await client.cleanupUniversalServices(victim)).kind).toBe('retryable');
  });

  it('NIOSXaaS: a proxy 404 on a service delete is not "already gone"', async () => {
    const withService = activeSandboxes(sim).find((a) =>
      (sim.store.services(uuid(a.id)) ?? []).some((s) => s.name === 'Instrqt-SaaS'),
    )!;
    sim.faults.add({ operation: 'service_delete', status: 404, html: true });
    const { client } = clientFor(sim, noRetries);
    expect((await client.cleanupUniversalServices(withService.id)).kind).toBe('retryable');
  });
});
