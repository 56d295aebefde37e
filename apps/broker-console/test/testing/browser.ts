// Debian's Chromium driven by playwright-core (no browser download works here, and none is
// attempted): a missing binary fails the tests with a clear message instead of skipping them.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type ConsoleMessage,
  type Page,
} from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
export const SCREENSHOT_DIR = join(__dirname, '..', '..', '..', '..', 'tmp', 'console-screenshots');

/** Launches headless Chromium; throws (never skips) when the binary is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: the console's browser tests need it. ` +
        'Install it with `apt-get install -y chromium` (.ci/run does this in CI) or set CHROMIUM_PATH.',
    );
  }
  // The sandbox needs user namespaces, which a root CI container lacks.
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    timeout: 30_000,
    args: asRoot ? ['--no-sandbox'] : [],
  });
}

/** A console message or page error that no test expected. */
export interface PageProblem {
  readonly page: string;
  readonly text: string;
}

/**
 * Collects console errors and uncaught page errors of every page of a context. Chromium logs a
 * console error for every 4xx answer; the ones a test provokes on purpose are passed in
 * `expectedStatus` as "<status> <path>" (e.g. "401 /v1/admin/session").
 */
export function collectProblems(
  context: BrowserContext,
  expected: readonly string[],
): PageProblem[] {
  const problems: PageProblem[] = [];
  const onConsole = (page: Page) => (message: ConsoleMessage) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    const url = message.location().url;
    const status = /status of (\d{3})/.exec(text)?.[1];
    if (status && url) {
      const path = new URL(url).pathname;
      if (expected.includes(`${status} ${path}`)) return;
    }
    problems.push({ page: page.url(), text: `${text}${url ? ` (${url})` : ''}` });
  };
  const watch = (page: Page) => {
    page.on('console', onConsole(page));
    page.on('pageerror', (error) =>
      problems.push({ page: page.url(), text: `pageerror: ${error.message}` }),
    );
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return problems;
}

/** A screenshot of the whole page into tmp/console-screenshots/<name>.png (a test artefact). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true, timeout: 10_000 });
  return path;
}

/**
 * Re-checks `probe` until it returns a value other than undefined; bounded (attempts × delay),
 * then throws with `what` and the last value seen.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { attempts = 40, delayMs = 250 }: { attempts?: number; delayMs?: number } = {},
): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    last = await probe().catch((error: unknown) => error);
    if (last !== undefined && !(last instanceof Error)) return last as T;
    await sleep(delayMs);
  }
  throw new Error(`${what}: not reached after ${attempts} attempts (last: ${String(last)})`);
}
