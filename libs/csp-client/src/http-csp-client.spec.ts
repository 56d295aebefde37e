import type { SandboxProvider } from '@broker/domain';
import { HttpCspClient } from './http-csp-client';

describe('HttpCspClient', () => {
  it('satisfies the domain SandboxProvider port as is (checked by the type checker)', () => {
    const provider: SandboxProvider = new HttpCspClient({
      baseUrl: 'http://127.0.0.1:9/v2',
      token: 't',
    });
    expect(provider.breakerState('list')).toBe('closed');
    expect(provider.breakerState('delete')).toBe('closed');
    expect(provider.breakerState('niosxaas')).toBe('closed');
  });

  it('reports NIOSXaaS as disabled by default without calling anything', async () => {
    const client = new HttpCspClient({ baseUrl: 'http://127.0.0.1:9/v2', token: 't' });
    expect(await client.cleanupUniversalServices('identity/accounts/x')).toMatchObject({
      kind: 'done',
      outcome: 'disabled',
    });
  });
});
