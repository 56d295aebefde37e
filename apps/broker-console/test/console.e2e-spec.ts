/**
 * The operator console in a real browser (Debian's Chromium through playwright-core) against the
 * real stack: dynalite, the CSP simulator, a worker and the API serving the built console.
 * Screenshots of the main views land in tmp/console-screenshots/.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import {
  collectProblems,
  launchChromium,
  type PageProblem,
  screenshot,
  waitUntil,
} from './testing/browser';
import {
  ADMIN_TOKEN,
  type ConsoleStack,
  startConsoleStack,
  TRACK_TOKEN,
  VIEWER_TOKEN,
} from './testing/console-stack';

const POOL = 150; // more than one page of the listing (at most 100) and of the export

describe('operator console in Chromium (e2e)', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;
  const contexts: { context: BrowserContext; found: PageProblem[] }[] = [];
  // Chromium logs every 4xx answer; these are provoked on purpose (no session yet, wrong token).
  const expected = ['401 /v1/admin/session'];

  /** One page per context at a time: a page left open would keep refreshing every 5 s. */
  const open = async (context: BrowserContext, path = '/console/') => {
    for (const old of context.pages()) await old.close();
    const p = await context.newPage();
    p.setDefaultTimeout(10_000);
    await p.goto(`${stack.baseUrl}${path}`, { timeout: 15_000 });
    return p;
  };
  const newContext = async () => {
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1400, height: 1000 },
    });
    contexts.push({ context, found: collectProblems(context, expected) });
    return context;
  };
  const signIn = async (p: Page, token: string) => {
    await p.locator('#token').fill(token);
    await p.getByRole('button', { name: 'Sign in' }).click();
  };
  const text = async (p: Page, testId: string) =>
    (await p.getByTestId(testId).textContent())?.trim() ?? '';
  const allocate = async (student: string) => {
    const res = await stack.call('POST', '/v1/allocate', TRACK_TOKEN, {
      headers: {
        'X-Instruqt-Sandbox-ID': student,
        'X-Instruqt-Track-ID': 'dns-basics',
        'X-Sandbox-Name-Prefix': 'lab-demo-',
      },
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { sandbox_id: string; name: string };
  };

  beforeAll(async () => {
    browser = await launchChromium();
    stack = await startConsoleStack(POOL);
    expect(await stack.runJob('sync')).toMatchObject({ status: 'succeeded' });
    admin = await newContext();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('refuses a wrong token with the message from the problem body', async () => {
    page = await open(admin);
    await signIn(page, 'not-a-real-token');
    await expect(page.getByTestId('sign-in-error').textContent()).resolves.toMatch(
      /^Sign-in failed: Invalid token \(UNAUTHORIZED/,
    );
    expect(page.url()).not.toContain('not-a-real-token');
    await screenshot(page, '01-sign-in-refused');
  });

  it('signs in with the session cookie alone: the token is in no URL or storage, and a reload keeps the session', async () => {
    await signIn(page, ADMIN_TOKEN);
    await expect(text(page, 'role')).resolves.toMatch(/admin$/);
    const storage = await page.evaluate(
      () =>
        JSON.stringify({ ...localStorage }) +
        JSON.stringify({ ...sessionStorage }) +
        document.cookie +
        location.href,
    );
    expect(storage).not.toContain(ADMIN_TOKEN);
    expect(storage).not.toContain('broker_session'); // HttpOnly: invisible to scripts
    const cookie = (await admin.cookies()).find((c) => c.name === 'broker_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    await page.reload();
    await expect(text(page, 'role')).resolves.toMatch(/admin$/);
  });

  it("shows the overview's numbers equal to GET /v1/admin/stats, with a freshness mark", async () => {
    const stats = (await (await stack.call('GET', '/v1/admin/stats', ADMIN_TOKEN)).json()) as {
      total: number;
      by_status: Record<string, number>;
    };
    expect(stats.total).toBe(POOL);
    await page.getByTestId('count-total').waitFor();
    expect(Number(await text(page, 'count-total'))).toBe(stats.total);
    for (const [status, count] of Object.entries(stats.by_status)) {
      expect([status, Number(await text(page, `count-${status}`))]).toEqual([status, count]);
    }
    await expect(text(page, 'freshness')).resolves.toMatch(/^data as of \d\d:\d\d:\d\d UTC/);
    await expect(text(page, 'last-sync')).resolves.not.toBe('never');
    await page.getByTestId('chart-allocations').waitFor();
    await screenshot(page, '02-overview');
  });

  it('shows an allocation made through the API in the table and in the hourly chart after a refresh', async () => {
    const totalOf = async () =>
      Number(await page.getByTestId('allocations-total').getAttribute('data-total'));
    const before = await totalOf();
    const sandbox = await allocate('student-chart');
    // The hourly counters are written when the event buffer flushes: refresh until it shows.
    await waitUntil('allocation in the hourly chart', async () => {
      await page.getByTestId('refresh').click();
      await page.waitForTimeout(200);
      return (await totalOf()) === before + 1 ? true : undefined;
    });
    const lastBucket = page
      .getByTestId('chart-allocations-data')
      .locator('tbody tr')
      .last()
      .locator('td')
      .nth(1);
    expect(Number(await lastBucket.textContent())).toBeGreaterThanOrEqual(1);

    await page.getByRole('link', { name: 'Sandboxes' }).click();
    await page.getByTestId('filter-owner').fill('student-chart');
    await page.getByTestId('apply-filters').click();
    const row = page.locator(`tr[data-sandbox-id="${sandbox.sandbox_id}"]`);
    await expect(row.getByTestId('row-status').textContent()).resolves.toBe('allocated');
    await expect(page.locator('[data-testid=sandbox-table] tbody tr').count()).resolves.toBe(1);
  });

  it('force-releases from the sandbox page after a confirmation naming the sandbox and its owner', async () => {
    const sandbox = await allocate('student-release');
    page = await open(admin, `/console/sandboxes/${sandbox.sandbox_id}`);
    await expect(page.locator('dd[data-field=status]').textContent()).resolves.toBe('allocated');
    await page.getByTestId('repair-force-release').click();
    await expect(text(page, 'confirm-text')).resolves.toContain(
      `${sandbox.name} (id ${sandbox.sandbox_id}) owned by student-release`,
    );
    await screenshot(page, '03-confirm-force-release');
    await page.getByTestId('confirm').click();
    await page.locator('dd[data-field=status]', { hasText: 'pending_deletion' }).waitFor();
    await page.locator('[data-testid=event-table] tr[data-action=force_release]').waitFor();
    await screenshot(page, '04-sandbox-page');

    const row = await stack.call('GET', `/v1/admin/sandboxes?owner=student-release`, ADMIN_TOKEN);
    const body = (await row.json()) as { sandboxes: { sandbox_id: string; status: string }[] };
    expect(body.sandboxes).toEqual([
      expect.objectContaining({ sandbox_id: sandbox.sandbox_id, status: 'pending_deletion' }),
    ]);
    const events = await stack.call(
      'GET',
      `/v1/admin/events?sandbox_id=${sandbox.sandbox_id}`,
      ADMIN_TOKEN,
    );
    expect(
      ((await events.json()) as { events: { action: string }[] }).events.map((e) => e.action),
    ).toContain('force_release');
  });

  it('quarantines with a reason, then retries the deletion, each writing its event', async () => {
    const listed = await stack.call(
      'GET',
      '/v1/admin/sandboxes?status=available&limit=1',
      ADMIN_TOKEN,
    );
    const [sandbox] = (
      (await listed.json()) as { sandboxes: { sandbox_id: string; name: string }[] }
    ).sandboxes;
    if (!sandbox) throw new Error('no available sandbox to quarantine');
    page = await open(admin, `/console/sandboxes/${sandbox.sandbox_id}`);
    const status = page.locator('dd[data-field=status]');
    await expect(status.textContent()).resolves.toBe('available');
    await expect(page.locator('[data-testid^=repair-]').count()).resolves.toBe(1);

    await page.getByTestId('repair-quarantine').click();
    await expect(text(page, 'confirm-text')).resolves.toMatch(
      new RegExp(`^Quarantine ${sandbox.name} \\(id ${sandbox.sandbox_id}\\)\\?`),
    );
    await expect(page.getByTestId('confirm').isDisabled()).resolves.toBe(true); // no reason yet
    await page.getByTestId('quarantine-reason').fill('account stuck at the provider');
    await page.getByTestId('confirm').click();
    await page.locator('dd[data-field=status]', { hasText: 'quarantined' }).waitFor();
    await expect(page.locator('dd[data-field=quarantine_reason]').textContent()).resolves.toBe(
      'account stuck at the provider',
    );
    await page.locator('[data-testid=event-table] tr[data-action=quarantine]').waitFor();

    await page.getByTestId('repair-retry-deletion').click();
    await page.getByTestId('confirm').click();
    await page
      .locator('dd[data-field=status]', { hasText: /pending_deletion|deleting|deleted/ })
      .waitFor();
    await page.locator('[data-testid=event-table] tr[data-action=retry_deletion]').waitFor();
  });

  it('exports every row of a filtered set larger than one page as CSV', async () => {
    page = await open(admin, '/console/sandboxes?status=available&name_prefix=lab-demo-');
    await page.locator('[data-testid=sandbox-table] tbody tr').first().waitFor();
    await screenshot(page, '05-sandbox-table');
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 15_000 }),
      page.getByTestId('export-csv').click(),
    ]);
    const [header = [], ...rows] = parse(readFileSync(await download.path(), 'utf8'));
    const idColumn = header.indexOf('sandbox_id');
    expect(idColumn).toBeGreaterThanOrEqual(0);
    const exported = rows.map((row) => row[idColumn]);

    const listed: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 20; i++) {
      const query: string = `status=available&name_prefix=lab-demo-&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const body = (await (
        await stack.call('GET', `/v1/admin/sandboxes?${query}`, ADMIN_TOKEN)
      ).json()) as {
        sandboxes: { sandbox_id: string }[];
        cursor: string | null;
      };
      listed.push(...body.sandboxes.map((s) => s.sandbox_id));
      cursor = body.cursor;
      if (!cursor) break;
    }
    expect(listed.length).toBeGreaterThan(100);
    expect([...exported].sort()).toEqual([...listed].sort());
  });

  it('triggers a cleanup from the jobs page and shows its progress until the result', async () => {
    page = await open(admin, '/console/jobs');
    await page.getByTestId('trigger-cleanup').click();
    const progress = page.getByTestId('job-cleanup').getByTestId('run-progress');
    await waitUntil(
      'cleanup run finished',
      async () => {
        const status = await progress.getAttribute('data-status');
        return status && !['accepted', 'pending', 'running'].includes(status) ? status : undefined;
      },
      { attempts: 60, delayMs: 250 },
    );
    await expect(progress.textContent()).resolves.toMatch(/^Done: succeeded/);
    await page.getByTestId('runs-cleanup').locator('tbody tr').first().waitFor();
    await screenshot(page, '06-jobs');
  });

  it('gives a viewer no repair or trigger buttons, and the API refuses its repair call (403)', async () => {
    const sandbox = await allocate('student-viewer');
    const viewer = await newContext();
    const p = await open(viewer, `/console/sandboxes/${sandbox.sandbox_id}`);
    await signIn(p, VIEWER_TOKEN);
    await expect(text(p, 'role')).resolves.toMatch(/viewer$/);
    await expect(p.locator('dd[data-field=status]').textContent()).resolves.toBe('allocated');
    await p.locator('[data-testid=event-table] tbody tr').first().waitFor();
    await expect(p.locator('[data-testid^=repair-]').count()).resolves.toBe(0);
    await screenshot(p, '07-viewer-sandbox');
    await p.getByRole('link', { name: 'Jobs' }).click();
    await p.getByTestId('runs-cleanup').waitFor();
    await expect(p.locator('[data-testid^=trigger-]').count()).resolves.toBe(0);

    // The viewer's own session, with its CSRF token: still refused.
    const session = (await (
      await viewer.request.get(`${stack.baseUrl}/v1/admin/session`)
    ).json()) as { csrf_token: string };
    const refused = await viewer.request.post(
      `${stack.baseUrl}/v1/admin/sandboxes/${sandbox.sandbox_id}/force-release`,
      {
        headers: { 'X-CSRF-Token': session.csrf_token },
      },
    );
    expect(refused.status()).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'FORBIDDEN' });
    const still = await stack.call('GET', `/v1/admin/sandboxes/${sandbox.sandbox_id}`, ADMIN_TOKEN);
    expect(await still.json()).toMatchObject({ status: 'allocated' });
  });

  it('signs out: the session ends server-side', async () => {
    page = await open(admin);
    await page.getByTestId('sign-out').click();
    await page.locator('#token').waitFor();
    expect((await admin.request.get(`${stack.baseUrl}/v1/admin/session`)).status()).toBe(401);
  });

  it('logged no console errors or page errors on any page', () => {
    expect(contexts.flatMap((c) => c.found)).toEqual([]);
  });
});
