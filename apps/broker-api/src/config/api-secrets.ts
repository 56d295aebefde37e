import type { ApiConfig } from './api-config';

/**
 * Every secret value in the config, for the log scrubber: bearer tokens of both roles, the
 * metrics token, the AWS secret key, the provider token and the NIOSXaaS password.
 */
export function apiSecrets(config: ApiConfig): string[] {
  return [
    ...config.auth.track.map((t) => t.token),
    ...config.auth.admin.map((t) => t.token),
    config.metrics.token,
    config.persistence.credentials?.secretAccessKey,
    config.jobs.csp.token,
    config.jobs.csp.niosxaas?.password,
  ].filter((value): value is string => typeof value === 'string' && value !== '');
}
