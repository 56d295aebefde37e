import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { SANDBOX_STORE, type SandboxStore } from '@broker/domain';
import { type ApiTestApp, startApiTestApp, VIEWER_TOKEN } from './testing/api-test-app';
import { EXPORT_PAGE_SIZE } from '../src/modules/admin/sandbox-csv';

/** The CSV export of a filtered listing, larger than one store page (issue #14). */
describe('sandbox CSV export (e2e, dynalite)', () => {
  let t: ApiTestApp;
  let quarantinedId: string;

  beforeAll(async () => {
    t = await startApiTestApp();
    // More matching rows than one export page, plus rows the filter must leave out.
    await t.seed(EXPORT_PAGE_SIZE + 37, 'lab-x-');
    await t.seed(15, 'lab-y-');
    const list = await request(t.server)
      .get('/v1/admin/sandboxes?name_prefix=lab-y-&limit=1')
      .set('Authorization', `Bearer ${VIEWER_TOKEN}`);
    quarantinedId = list.body.sandboxes[0].sandbox_id as string;
    await t.app
      .get<SandboxStore>(SANDBOX_STORE)
      .admin.quarantine(quarantinedId, '=HYPERLINK("http://evil","x"), "quoted"\nnext line');
  }, 60_000);

  afterAll(async () => {
    await t?.close();
  });

  const exportCsv = (query: string) =>
    request(t.server)
      .get(`/v1/admin/sandboxes/export.csv${query}`)
      .set('Authorization', `Bearer ${VIEWER_TOKEN}`)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });

  it('streams every matching row exactly once, across store pages, as an attachment', async () => {
    const res = await exportCsv('?status=available&name_prefix=lab-x-');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="sandboxes-\d{8}T\d{6}Z\.csv"$/,
    );
    const rows = parse<Record<string, string>>(res.body as string, { columns: true });
    expect(rows).toHaveLength(EXPORT_PAGE_SIZE + 37);
    const names = rows.map((r) => r['name']);
    expect(new Set(names).size).toBe(rows.length);
    expect(names.every((n) => n!.startsWith('lab-x-'))).toBe(true);
    expect(rows.every((r) => r['status'] === 'available')).toBe(true);
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining([
        'sandbox_id',
        'name',
        'status',
        'owner_id',
        'track_name',
        'reservation_id',
      ]),
    );
  });

  it('quotes awkward text and neutralises formula cells', async () => {
    const res = await exportCsv('?status=quarantined');
    const rows = parse<Record<string, string>>(res.body as string, { columns: true });
    expect(rows.map((r) => r['sandbox_id'])).toEqual([quarantinedId]);
    expect(rows[0]!['quarantine_reason']).toBe(
      `'=HYPERLINK("http://evil","x"), "quoted"\nnext line`,
    );
  });

  it('an empty match is a header row only; bad filters are 400 problems', async () => {
    const res = await exportCsv('?name_prefix=nothing-');
    expect((res.body as string).trim().split('\n')).toHaveLength(1);
    const bad = await exportCsv('?status=nope');
    expect(bad.status).toBe(400);
    const limit = await exportCsv('?limit=5');
    expect(limit.status).toBe(400);
  });
});
