import { ConfigValidationError } from '@broker/platform';
import { DEV_CSP_TOKEN, loadWorkerConfig } from './worker-config';

describe('loadWorkerConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadWorkerConfig({});
    expect(config).toMatchObject({
      port: 9464,
      jobsEnabled: true,
      intervalsMs: { sync: 600_000, cleanup: 300_000, expiry: 300_000 },
      staleGraceSeconds: 24 * 3600,
      leaseTtlMs: 60_000,
      cleanup: { concurrency: 4, ratePerSec: 2, maxAttempts: 5, preDelete: false },
      csp: { token: DEV_CSP_TOKEN, retry: { maxRetries: 0 }, breaker: { threshold: 5 } },
      persistence: { lease: { leaseSeconds: 48 * 3600, graceSeconds: 1800 } },
    });
  });

  it('reads the knobs', () => {
    const config = loadWorkerConfig({
      CLEANUP_RATE_PER_SEC: '0.5',
      CLEANUP_INTERVAL_SEC: '0',
      NIOSXAAS_ENABLED: 'true',
      NIOSXAAS_EMAIL: 'svc@example.test',
      NIOSXAAS_PASSWORD: 'pw',
      NIOSXAAS_SERVICE_NAME: '*',
    });
    expect(config.cleanup).toMatchObject({ ratePerSec: 0.5, preDelete: true });
    expect(config.intervalsMs.cleanup).toBe(0);
    expect(config.csp.niosxaas).toMatchObject({ enabled: true, serviceName: '' });
  });

  it('lists every problem at once and refuses dev secrets in production', () => {
    const bad = () =>
      loadWorkerConfig({ CLEANUP_CONCURRENCY: '0', WORKER_PORT: 'x', CSP_BASE_URL: 'ftp://x' });
    for (const key of ['CLEANUP_CONCURRENCY', 'WORKER_PORT', 'CSP_BASE_URL']) {
      expect(bad).toThrow(new RegExp(`- ${key} `));
    }
    const prod = () =>
      loadWorkerConfig({
        NODE_ENV: 'production',
        CSP_API_TOKEN: DEV_CSP_TOKEN,
        NIOSXAAS_ENABLED: 'true',
      });
    expect(prod).toThrow(ConfigValidationError);
    expect(prod).toThrow(/development token[\s\S]*NIOSXAAS_EMAIL/);
    expect(() => loadWorkerConfig({ NODE_ENV: 'production' })).toThrow(/CSP_API_TOKEN must be set/);
  });
});
