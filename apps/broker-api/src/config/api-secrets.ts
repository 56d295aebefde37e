import type { ApiConfig } from './api-config';

/**
 * Every secret value in the config, for the log scrubber: bearer tokens of every role, the
 * metrics token and the AWS secret key (the API holds no provider secrets).
 */
export function apiSecrets(config: ApiConfig): string[] {
  return [
    ...config.auth.track.map((t) => t.token),
    ...config.auth.admin.map((t) => t.token),
    ...(config.auth.viewer ?? []).map((t) => t.token),
    config.metrics.token,
    config.persistence.credentials?.secretAccessKey,
  ].filter((value): value is string => typeof value === 'string' && value !== '');
}
