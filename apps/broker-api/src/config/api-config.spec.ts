import { ConfigValidationError } from '@broker/platform';
import { loadApiConfig } from './api-config';

const strong = {
  BROKER_TRACK_TOKENS: 'lab:track-token-0123456789',
  BROKER_ADMIN_TOKEN: 'admin-token-0123456789',
};

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadApiConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigValidationError');
}

describe('loadApiConfig', () => {
  it('uses documented defaults and the dev tokens outside production', () => {
    const config = loadApiConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      host: '127.0.0.1',
      port: 8080,
      logLevel: 'info',
      corsOrigins: [],
      trustProxy: false,
      swaggerEnabled: true,
      auth: {
        track: [{ name: 'dev', token: 'dev-track-token' }],
        admin: [{ name: 'dev', token: 'dev-admin-token' }],
      },
      persistence: {
        tableName: 'sandbox-broker',
        region: 'us-east-1',
        lease: { leaseSeconds: 48 * 3600, graceSeconds: 30 * 60 },
      },
    });
  });

  it('parses lists, proxies and switches', () => {
    const config = loadApiConfig({
      CORS_ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      TRUST_PROXY: '1',
      SWAGGER_ENABLED: 'false',
      ...strong,
    });
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.trustProxy).toBe(1);
    expect(config.swaggerEnabled).toBe(false);
    expect(config.auth.track).toEqual([{ name: 'lab', token: 'track-token-0123456789' }]);
  });

  it('refuses to start in production with dev tokens or without tokens', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      'refusing to start: no track token is configured',
      'refusing to start: no admin token is configured',
    ]);
    // the named list wins over the single token, so an unused dev token does not block
    expect(() =>
      loadApiConfig({ NODE_ENV: 'production', BROKER_API_TOKEN: 'dev-track-token', ...strong }),
    ).not.toThrow();
    expect(
      problems({ NODE_ENV: 'production', ...strong, BROKER_ADMIN_TOKEN: 'dev-admin-token' }),
    ).toEqual(["refusing to start: admin token 'default' is a dev token"]);
    expect(loadApiConfig({ NODE_ENV: 'production', ...strong }).nodeEnv).toBe('production');
  });

  it('reads no provider settings: CSP_* belong to the worker (admin triggers are run there)', () => {
    const config = loadApiConfig({
      NODE_ENV: 'production',
      ...strong,
      CSP_API_TOKEN: 'dev-csp-token',
      CSP_BASE_URL: 'not a url',
      NIOSXAAS_ENABLED: 'maybe',
    });
    expect(JSON.stringify(config)).not.toMatch(/csp|nios/i);
    expect(config.jobs).toEqual({ leaseTtlMs: 60_000, requestPickupTimeoutMs: 30_000 });
    expect(loadApiConfig({ JOB_REQUEST_PICKUP_TIMEOUT_SEC: '5' }).jobs.requestPickupTimeoutMs).toBe(
      5_000,
    );
    expect(problems({ JOB_REQUEST_PICKUP_TIMEOUT_SEC: '0' })).toEqual([
      expect.stringMatching(/^JOB_REQUEST_PICKUP_TIMEOUT_SEC/),
    ]);
  });

  it('lists every bad setting in one error', () => {
    const found = problems({
      PORT: 'x',
      BROKER_TRACK_TOKENS: 'oops',
      AWS_ACCESS_KEY_ID: 'AKIA-only',
      SWAGGER_ENABLED: 'yes',
    });
    expect(found.some((p) => p.startsWith('PORT'))).toBe(true);
    expect(found.some((p) => p.startsWith('SWAGGER_ENABLED'))).toBe(true);
    expect(found.some((p) => p.startsWith('BROKER_TRACK_TOKENS'))).toBe(true);
  });
});

describe('loadApiConfig: protection settings', () => {
  it('defaults the rate limit, metrics cache and leaves /metrics open', () => {
    const config = loadApiConfig({});
    expect(config.rateLimit).toEqual({
      perSec: 50,
      burst: 200,
      maxKeys: 50_000,
      // Per token: every student of a lab together; allocations fit a 300-student class start
      // with one retry each, then 300 a minute.
      token: { perSec: 200, burst: 2000 },
      allocation: { perMin: 300, burst: 600 },
    });
    expect(config.metrics).toEqual({ poolCacheMs: 15_000 });
  });

  it('reads METRICS_TOKEN and refuses a short one', () => {
    const config = loadApiConfig({ METRICS_TOKEN: 'metrics-token-0123456789' });
    expect(config.metrics.token).toBe('metrics-token-0123456789');
    expect(problems({ METRICS_TOKEN: 'short' })).toEqual([expect.stringMatching(/^METRICS_TOKEN/)]);
  });

  it('accepts the CORS wildcard outside production only', () => {
    expect(loadApiConfig({ CORS_ALLOWED_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
    expect(
      problems({ NODE_ENV: 'production', CORS_ALLOWED_ORIGINS: 'https://a.example, *', ...strong }),
    ).toEqual([expect.stringMatching(/^CORS_ALLOWED_ORIGINS: the wildcard/)]);
  });
});

describe('loadApiConfig: server deadlines', () => {
  it('defaults to 10 s headers, 30 s request, 65 s keep-alive (above an ALB idle timeout of 60 s)', () => {
    expect(loadApiConfig({}).timeouts).toEqual({
      headersMs: 10_000,
      requestMs: 30_000,
      keepAliveMs: 65_000,
    });
    expect(loadApiConfig({}).jsonMaxDepth).toBe(32);
  });

  it('refuses a headers deadline longer than the request deadline (Node would throw)', () => {
    expect(problems({ HTTP_HEADERS_TIMEOUT_SEC: '40', HTTP_REQUEST_TIMEOUT_SEC: '30' })).toContain(
      'HTTP_HEADERS_TIMEOUT_SEC must not exceed HTTP_REQUEST_TIMEOUT_SEC',
    );
    expect(loadApiConfig({ HTTP_REQUEST_TIMEOUT_SEC: '0' }).timeouts.requestMs).toBe(0);
  });
});
