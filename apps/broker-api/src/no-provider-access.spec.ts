import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const SRC = __dirname;
const ROOT = join(__dirname, '../../..');

const PROVIDER_ACCESS = [
  /from '@broker\/csp-client/,
  /require\('@broker\/csp-client/,
  /\bnew (HttpCspClient|JobSet|CircuitBreaker)\b/,
  // An env class property reading a provider setting (`CSP_API_TOKEN?: string;`).
  /^\s*(CSP|NIOSXAAS|CIRCUIT_BREAKER)_[A-Z_]+[?!]?\s*[:=]/m,
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * The API holds no provider client, breaker or CSP secret: admin triggers record run requests the
 * worker runs. Checked on the sources, and by the lint rule that keeps it so.
 */
describe('broker-api: no provider access', () => {
  it('no source file imports @broker/csp-client or builds a JobSet, CSP client or breaker', () => {
    const offenders = sourceFiles(SRC)
      .filter((file) => !file.endsWith('.spec.ts'))
      .filter((file) => PROVIDER_ACCESS.some((pattern) => pattern.test(readFileSync(file, 'utf8'))))
      .map((file) => relative(SRC, file));
    expect(offenders).toEqual([]);
  });

  it('ESLint bans @broker/csp-client imports in the API sources', () => {
    // In a child process: ESLint loads its flat config by dynamic import, which Jest's VM lacks.
    const printed = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/eslint/bin/eslint.js'),
        '--print-config',
        join(SRC, 'modules/admin-jobs/admin-jobs.module.ts'),
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(printed.status).toBe(0);
    const config = JSON.parse(printed.stdout) as { rules?: Record<string, unknown> };
    expect(JSON.stringify(config.rules?.['no-restricted-imports'])).toContain('@broker/csp-client');
  }, 60_000);
});
