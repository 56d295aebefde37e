import { SimStore } from './sim-store';

const seed = {
  poolSize: 30,
  namePrefix: 'lab-demo-',
  withNoise: true,
  serviceEvery: 5,
  serviceName: 'Instrqt-SaaS',
};

describe('SimStore', () => {
  it('seeds a realistic pool plus accounts a client must filter out', () => {
    const store = new SimStore();
    store.seed(seed);
    const all = store.list();
    const sandboxes = all.filter((a) => a.account_type === 'sandbox' && a.state === 'active');
    expect(sandboxes).toHaveLength(30);
    expect(all.length).toBeGreaterThan(30);
    const first = sandboxes[0]!;
    expect(first.name).toBe('lab-demo-0001');
    expect(first.csp_id).toBe(2_000_001);
    expect(first.id).toMatch(/^identity\/accounts\/[0-9a-f-]{36}$/);
    expect(first.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    const withSfdc = sandboxes.filter((a) => a.sfdc_account_id !== '');
    expect(withSfdc).toHaveLength(10);
    expect(withSfdc[0]!.sfdc_account_id).toMatch(/^001SAND[0-9a-f]{11}$/);
    expect(new Set(all.map((a) => a.csp_id)).size).toBe(all.length);
  });

  it('seeds universal services on every n-th sandbox', () => {
    const store = new SimStore();
    store.seed(seed);
    const dump = store.dump();
    const withService = dump.filter((a) => a.services.some((s) => s.name === 'Instrqt-SaaS'));
    expect(withService.map((a) => a.name)).toEqual([
      'lab-demo-0005',
      'lab-demo-0010',
      'lab-demo-0015',
      'lab-demo-0020',
      'lab-demo-0025',
      'lab-demo-0030',
    ]);
    expect(dump.find((a) => a.name === 'lab-demo-0010')?.services).toHaveLength(2);
  });

  it('deletes immediately, or after a delay while listed as deleting', () => {
    let now = 1_000_000;
    const store = new SimStore(() => now);
    store.seed({ ...seed, withNoise: false });
    const [a, b] = store.list();
    const uuidA = a!.id.split('/').pop()!;
    const uuidB = b!.id.split('/').pop()!;
    expect(store.delete(uuidA)).toBe('deleted');
    expect(store.delete(uuidA)).toBe('not-found');
    expect(store.delete(uuidB, 500)).toBe('deleting');
    expect(store.get(uuidB)?.state).toBe('deleting');
    expect(store.delete(uuidB, 500)).toBe('deleting');
    now += 499;
    expect(store.size).toBe(29);
    now += 1;
    expect(store.get(uuidB)).toBeUndefined();
    expect(store.size).toBe(28);
  });

  it('re-adds a deleted account with the same id and csp_id', () => {
    const store = new SimStore();
    store.seed({ ...seed, withNoise: false });
    const victim = store.list()[3]!;
    store.delete(victim.id.split('/').pop()!);
    const [again] = store.add([{ id: victim.id, csp_id: victim.csp_id, name: victim.name }]);
    expect(again).toMatchObject({ id: victim.id, csp_id: victim.csp_id, state: 'active' });
    expect(store.size).toBe(30);
  });

  it('generates accounts with fresh csp ids', () => {
    const store = new SimStore();
    store.seed({ ...seed, poolSize: 3, withNoise: false });
    const added = store.addGenerated(2, 'extra-');
    expect(added.map((a) => [a.name, a.csp_id])).toEqual([
      ['extra-0004', 2_000_004],
      ['extra-0005', 2_000_005],
    ]);
  });

  it('adds and deletes universal services', () => {
    const store = new SimStore();
    store.seed({ ...seed, poolSize: 1, withNoise: false, serviceEvery: 0 });
    const uuid = store.list()[0]!.id.split('/').pop()!;
    const service = store.addService(uuid, 'Instrqt-SaaS')!;
    expect(service.id).toMatch(/^infra\/universal_service\//);
    expect(store.deleteService(uuid, service.id.split('/').pop()!)).toBe(true);
    expect(store.deleteService(uuid, 'nope')).toBe(false);
    expect(store.services(uuid)).toEqual([]);
    expect(store.addService('missing', 'x')).toBeUndefined();
  });
});
