import { resolveCspClientConfig } from './csp-client.config';

describe('resolveCspClientConfig', () => {
  it('applies defaults (original broker values) and derives the NIOSXaaS base from the CSP one', () => {
    const c = resolveCspClientConfig({ baseUrl: 'https://csp.infoblox.com/v2/', token: 't' });
    expect(c).toMatchObject({
      baseUrl: 'https://csp.infoblox.com/v2',
      listTimeoutMs: 15_000,
      deleteTimeoutMs: 15_000,
      maxRetries: 3,
      breakerThreshold: 5,
      halfOpenAfterMs: 60_000,
      pageSize: 100,
      niosxaas: {
        enabled: false,
        baseUrl: 'https://csp.infoblox.com',
        serviceName: 'Instrqt-SaaS',
        shadowMode: true,
        timeoutMs: 30_000,
      },
    });
  });

  it('allows zero retries', () => {
    expect(
      resolveCspClientConfig({ baseUrl: 'http://x', token: '', retry: { maxRetries: 0 } })
        .maxRetries,
    ).toBe(0);
  });

  it.each([
    [{ baseUrl: 'csp.infoblox.com', token: 't' }, /baseUrl must be an http\(s\) URL/],
    [
      { baseUrl: 'http://x', token: 't', timeouts: { deleteMs: 0 } },
      /timeouts.deleteMs must be a number >= 1/,
    ],
    [{ baseUrl: 'http://x', token: 't', breaker: { threshold: Number.NaN } }, /breaker.threshold/],
    [
      { baseUrl: 'http://x', token: 't', niosxaas: { enabled: true, baseUrl: 'nope' } },
      /niosxaas.baseUrl/,
    ],
  ])('rejects %j', (config, message) => {
    expect(() => resolveCspClientConfig(config)).toThrow(message);
  });
});
