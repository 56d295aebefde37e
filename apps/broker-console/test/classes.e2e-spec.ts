/**
 * The Classes page (issue #16 in the console) in Chromium against the real stack: booking from
 * the page, the capacity refusal, the forecast's shortfall, resize, cancel, quotas, and the
 * viewer's read-only view. The admin's browser runs in Asia/Kolkata (UTC+5:30), so the local
 * datetime inputs must be converted to the right epoch seconds. Screenshot:
 * tmp/console-screenshots/classes.png.
 */
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
  VIEWER_TOKEN,
} from './testing/console-stack';

const POOL = 40;
const TRACK = 'class-dns';
const LATER_TRACK = 'class-k8s';

interface ReservationBody {
  reservation_id: string;
  track: string;
  count: number;
  starts_at: number;
  ends_at: number;
  status: string;
  held: number;
}

describe('Classes page in Chromium (e2e)', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let admin: BrowserContext;
  let page: Page;
  const contexts: { context: BrowserContext; found: PageProblem[] }[] = [];
  // Provoked on purpose: no session yet; the booking over the stock (409 INSUFFICIENT_CAPACITY).
  const expected = ['401 /v1/admin/session', '409 /v1/admin/reservations'];

  const newContext = async (timezoneId?: string) => {
    const context = await browser.newContext({
      viewport: { width: 1400, height: 1000 },
      ...(timezoneId ? { timezoneId } : {}),
    });
    contexts.push({ context, found: collectProblems(context, expected) });
    return context;
  };
  const open = async (context: BrowserContext, path = '/console/classes') => {
    for (const old of context.pages()) await old.close();
    const p = await context.newPage();
    p.setDefaultTimeout(10_000);
    await p.goto(`${stack.baseUrl}${path}`, { timeout: 15_000 });
    return p;
  };
  const signIn = async (p: Page, token: string) => {
    await p.locator('#token').fill(token);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByTestId('role').waitFor();
  };
  const getJson = async <T>(path: string): Promise<T> => {
    const res = await stack.call('GET', path, ADMIN_TOKEN);
    expect([path, res.status]).toEqual([path, 200]);
    return (await res.json()) as T;
  };
  const reservations = async () =>
    (await getJson<{ reservations: ReservationBody[] }>('/v1/admin/reservations?limit=100'))
      .reservations;
  /** epoch seconds → the datetime-local value in the browser's own time zone. */
  const localInput = (p: Page, epochSeconds: number) =>
    p.evaluate((ms) => {
      const d = new Date(ms);
      const two = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
    }, epochSeconds * 1000);
  const book = async (p: Page, track: string, count: number, startsAt: number, endsAt: number) => {
    await p.getByTestId('book-track').fill(track);
    await p.getByTestId('book-count').fill(String(count));
    await p.getByTestId('book-starts_at').fill(await localInput(p, startsAt));
    await p.getByTestId('book-ends_at').fill(await localInput(p, endsAt));
    await p.getByTestId('book-submit').click();
  };
  const row = (p: Page, id: string) =>
    p.locator(`[data-testid=reservation-table] tr[data-reservation-id="${id}"]`);
  const cell = async (p: Page, id: string, field: string) =>
    (await row(p, id).locator(`td[data-field=${field}]`).textContent())?.trim();
  // Whole minutes: a datetime-local input has no seconds.
  const minute = (s: number) => Math.floor(s / 60) * 60;

  beforeAll(async () => {
    browser = await launchChromium();
    stack = await startConsoleStack(POOL);
    expect(await stack.runJob('sync')).toMatchObject({ status: 'succeeded' });
    admin = await newContext('Asia/Kolkata');
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('books a class from the page: local times reach the API as epoch seconds, and the row shows its held count', async () => {
    page = await open(admin);
    await signIn(page, ADMIN_TOKEN);
    await expect(page.getByTestId('capacity-available').textContent()).resolves.toBe(String(POOL));
    const now = Math.floor(Date.now() / 1000);
    // Within the earmarking lead (60 min): the reservations job earmarks its seats at once.
    const startsAt = minute(now + 30 * 60);
    const endsAt = startsAt + 3 * 3600;
    await page.getByTestId('book-track').fill(TRACK);
    await page.getByTestId('book-count').fill('5');
    await page.getByTestId('book-starts_at').fill(await localInput(page, startsAt));
    await page.getByTestId('book-ends_at').fill(await localInput(page, endsAt));
    // The local inputs (UTC+5:30 here) previewed in UTC, as the lists show times.
    const utc = (s: number) => new Date(s * 1000).toISOString().slice(11, 16);
    await expect(page.getByTestId('book-window-utc').textContent()).resolves.toContain(
      `${utc(startsAt)} – `,
    );
    await page.getByTestId('book-submit').click();
    await expect(page.getByTestId('book-done').textContent()).resolves.toContain(
      `Booked 5 sandboxes for track ${TRACK}`,
    );
    const [booked] = await reservations();
    expect(booked).toMatchObject({
      track: TRACK,
      count: 5,
      starts_at: startsAt,
      ends_at: endsAt,
      status: 'confirmed',
    });
    if (!booked) throw new Error('no reservation');
    await expect(cell(page, booked.reservation_id, 'count')).resolves.toBe('5');

    await stack.runWorkerJob('reservations');
    await waitUntil('held count on the page', async () => {
      await page.getByTestId('refresh').click();
      return (await cell(page, booked.reservation_id, 'held')) === '5' ? true : undefined;
    });
    const [read] = await reservations();
    expect(read).toMatchObject({ held: 5 });
  });

  it('refuses a booking over the stock with the INSUFFICIENT_CAPACITY message and creates nothing', async () => {
    const now = Math.floor(Date.now() / 1000);
    await book(page, TRACK, 500, minute(now + 2 * 86_400), minute(now + 2 * 86_400) + 3600);
    await expect(page.getByTestId('book-refusal').textContent()).resolves.toMatch(
      /^Not enough sandboxes: short by \d+ \(\d+ in stock, \d+ held by other bookings, 500 requested\)\.$/,
    );
    await expect(page.getByTestId('book-error').textContent()).resolves.toContain(
      'INSUFFICIENT_CAPACITY',
    );
    expect((await reservations()).length).toBe(1);
  });

  it('shows a window short of stock in the forecast, highlighted, as the API computes it', async () => {
    const now = Math.floor(Date.now() / 1000);
    await book(page, LATER_TRACK, 30, minute(now + 86_400), minute(now + 86_400) + 7200);
    await page.getByTestId('book-done').waitFor();
    // The stock shrinks after the booking: 10 available sandboxes quarantined.
    const listed = await getJson<{ sandboxes: { sandbox_id: string }[] }>(
      '/v1/admin/sandboxes?status=available&limit=10',
    );
    for (const s of listed.sandboxes) {
      const res = await stack.call(
        'POST',
        `/v1/admin/sandboxes/${s.sandbox_id}/quarantine`,
        ADMIN_TOKEN,
        {
          body: { reason: 'e2e: shrink the stock' },
        },
      );
      expect(res.status).toBe(200);
    }
    const forecast = await getJson<{
      shortfall: number;
      windows: { reservation_id: string; track: string; shortfall: number }[];
    }>('/v1/admin/capacity');
    const short = forecast.windows.find((w) => w.track === LATER_TRACK);
    expect(short?.shortfall).toBeGreaterThan(0);
    const shortRow = page.locator(
      `[data-testid=capacity-table] tr.short[data-reservation-id="${short?.reservation_id}"]`,
    );
    await waitUntil('short window on the page', async () => {
      await page.getByTestId('refresh').click();
      return (await shortRow.getAttribute('data-shortfall', { timeout: 1000 })) ===
        String(short?.shortfall)
        ? true
        : undefined;
    });
    await expect(shortRow.getByTestId('forecast-text').textContent()).resolves.toMatch(
      new RegExp(
        `^short by ${short?.shortfall} for track ${LATER_TRACK} at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC$`,
      ),
    );
    await expect(page.getByTestId('capacity-shortfall').textContent()).resolves.toBe(
      String(forecast.shortfall),
    );
    await expect(page.getByTestId('capacity-headline').textContent()).resolves.toMatch(
      /^Create \d+ sandboxes at the provider: first short by/,
    );
    await screenshot(page, 'classes');
  });

  it('resizes, then cancels a class after a confirmation naming its track and window', async () => {
    const later = (await reservations()).find((r) => r.track === LATER_TRACK);
    if (!later) throw new Error('no later reservation');
    await row(page, later.reservation_id).getByTestId('reservation-toggle').click();
    const detail = page.getByTestId('reservation-detail');
    await detail.getByTestId('resize-count').fill('20');
    await detail.getByTestId('resize-submit').click();
    await waitUntil('resized row', async () =>
      (await cell(page, later.reservation_id, 'count')) === '20' ? true : undefined,
    );
    expect((await reservations()).find((r) => r.track === LATER_TRACK)).toMatchObject({
      count: 20,
    });

    const first = (await reservations()).find((r) => r.track === TRACK);
    if (!first) throw new Error('no first reservation');
    await row(page, first.reservation_id).getByTestId('reservation-toggle').click();
    await page.getByTestId('reservation-detail').getByTestId('cancel-reservation').click();
    const confirmText = (await page.getByTestId('confirm-text').textContent()) ?? '';
    expect(confirmText).toMatch(
      new RegExp(
        `^Cancel the class booking of 5 sandboxes for track ${TRACK}, \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d – `,
      ),
    );
    expect(confirmText).toContain('Its 5 earmarked sandboxes go back to the pool.');
    await page.getByTestId('confirm').click();
    await waitUntil('cancelled row', async () =>
      (await cell(page, first.reservation_id, 'status')) === 'cancelled' ? true : undefined,
    );
    expect(
      await getJson<ReservationBody>(`/v1/admin/reservations/${first.reservation_id}`),
    ).toMatchObject({ status: 'cancelled' });
  });

  it('sets a quota from the page (the API shows it), and removes another after a confirmation', async () => {
    const setQuota = async (track: string, max: number) => {
      await page.getByTestId('quota-track').fill(track);
      await page.getByTestId('quota-max').fill(String(max));
      await page.getByTestId('quota-submit').click();
      await expect(page.getByTestId('confirm-text').textContent()).resolves.toMatch(
        new RegExp(`^Set the quota of track ${track} to ${max}\\?`),
      );
      await page.getByTestId('confirm').click();
      await page
        .locator(`[data-testid=quota-table] tr[data-track="${track}"] td[data-field=usage]`, {
          hasText: `0 / ${max}`,
        })
        .waitFor();
    };
    await setQuota(TRACK, 3);
    await setQuota('temp-track', 7);
    expect(await getJson(`/v1/admin/tracks/${TRACK}/quota`)).toMatchObject({
      track: TRACK,
      max_allocated: 3,
      held: 0,
    });

    await page
      .locator('[data-testid=quota-table] tr[data-track="temp-track"]')
      .getByTestId('quota-remove')
      .click();
    await expect(page.getByTestId('confirm-text').textContent()).resolves.toBe(
      'Remove the quota of track temp-track (7, 0 held)? The track is unlimited again.',
    );
    await page.getByTestId('confirm').click();
    await page
      .locator('[data-testid=quota-table] tr[data-track="temp-track"]')
      .waitFor({ state: 'detached' });
    const gone = await stack.call('GET', '/v1/admin/tracks/temp-track/quota', ADMIN_TOKEN);
    expect(gone.status).toBe(404);
    await page.getByTestId('refresh').click();
    await screenshot(page, 'classes-after-cancel-and-quotas');
  });

  it('gives a viewer the page with no booking, resize, cancel or quota controls', async () => {
    const viewer = await newContext();
    const p = await open(viewer);
    await signIn(p, VIEWER_TOKEN);
    await expect(p.getByTestId('role').textContent()).resolves.toMatch(/viewer$/);
    await p.locator('[data-testid=reservation-table] tbody tr').first().waitFor();
    await p.locator('[data-testid=quota-table] tbody tr').first().waitFor();
    await p.locator('[data-testid=capacity-table] tbody tr').first().waitFor();
    const later = (await reservations()).find((r) => r.track === LATER_TRACK);
    await row(p, later?.reservation_id ?? '')
      .getByTestId('reservation-toggle')
      .click();
    await p.getByTestId('reservation-detail').waitFor();
    for (const id of [
      'book-class',
      'reservation-actions',
      'resize-submit',
      'cancel-reservation',
      'quota-form',
      'quota-edit',
      'quota-remove',
    ]) {
      expect([id, await p.getByTestId(id).count()]).toEqual([id, 0]);
    }
    await screenshot(p, 'classes-viewer');
  });

  it('logged no console errors or page errors', () => {
    expect(contexts.flatMap((c) => c.found)).toEqual([]);
  });
});
