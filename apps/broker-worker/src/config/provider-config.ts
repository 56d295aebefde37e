import type { CspClientConfig } from '@broker/csp-client';
import type { NodeEnv } from '@broker/platform';
import type { ProviderEnv } from './provider-env';

/** The simulator's default token: accepted outside production only. */
export const DEV_CSP_TOKEN = 'dev-csp-token';

export type ProviderConfig = Omit<CspClientConfig, 'hooks'>;

/** Derives the CSP client settings; returns the problems instead of throwing. */
export function providerConfigFromEnv(parsed: ProviderEnv & { readonly NODE_ENV: NodeEnv }): {
  config: ProviderConfig;
  problems: string[];
} {
  const problems: string[] = [];
  const production = parsed.NODE_ENV === 'production';
  const token = parsed.CSP_API_TOKEN ?? (production ? '' : DEV_CSP_TOKEN);
  if (token === '') problems.push('CSP_API_TOKEN must be set');
  if (production && token === DEV_CSP_TOKEN) {
    problems.push('CSP_API_TOKEN: refusing the development token in production');
  }
  const niosEnabled = parsed.NIOSXAAS_ENABLED === 'true';
  if (niosEnabled && (!parsed.NIOSXAAS_EMAIL || !parsed.NIOSXAAS_PASSWORD)) {
    problems.push('NIOSXAAS_EMAIL and NIOSXAAS_PASSWORD must be set when NIOSXAAS_ENABLED=true');
  }
  const ms = (sec: number) => sec * 1000;
  const config: ProviderConfig = {
    baseUrl: parsed.CSP_BASE_URL,
    token,
    timeouts: {
      listMs: ms(parsed.CSP_TIMEOUT_READ_SEC),
      deleteMs: ms(parsed.CSP_TIMEOUT_READ_SEC),
    },
    retry: { maxRetries: parsed.CSP_MAX_RETRIES },
    breaker: {
      threshold: parsed.CIRCUIT_BREAKER_THRESHOLD,
      halfOpenAfterMs: ms(parsed.CIRCUIT_BREAKER_TIMEOUT_SEC),
    },
    niosxaas: {
      enabled: niosEnabled,
      ...(parsed.NIOSXAAS_BASE_URL ? { baseUrl: parsed.NIOSXAAS_BASE_URL } : {}),
      email: parsed.NIOSXAAS_EMAIL ?? '',
      password: parsed.NIOSXAAS_PASSWORD ?? '',
      serviceName: parsed.NIOSXAAS_SERVICE_NAME === '*' ? '' : parsed.NIOSXAAS_SERVICE_NAME,
      shadowMode: parsed.NIOSXAAS_SHADOW_MODE === 'true',
      timeoutMs: ms(parsed.NIOSXAAS_TIMEOUT_SEC),
    },
  };
  return { config, problems };
}
