import { IsIn, IsOptional, IsString, IsUrl } from 'class-validator';
import { envInt, JobsEnv } from '@broker/jobs/config';

const URL_OPTIONS = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

/**
 * The provider (Infoblox CSP and NIOSXaaS) settings: only the worker talks to the provider, so
 * only the worker reads (and holds the secrets of) CSP_* and NIOSXAAS_*.
 */
export class ProviderEnv extends JobsEnv {
  @IsUrl(URL_OPTIONS)
  CSP_BASE_URL = 'https://csp.infoblox.com/v2';

  @IsOptional()
  @IsString()
  CSP_API_TOKEN?: string;

  /** Whole-call timeout of one list page or one delete (real deletes take 5–10 s). */
  @envInt(300, 1)
  CSP_TIMEOUT_READ_SEC = 15;

  /**
   * In-client retries of idempotent calls. 0 by default: cleanup retries per sandbox with its own
   * back-off and rate limit, which in-client retries would bypass.
   */
  @envInt(10)
  CSP_MAX_RETRIES = 0;

  @envInt(100, 1)
  CIRCUIT_BREAKER_THRESHOLD = 5;

  @envInt(3600, 1)
  CIRCUIT_BREAKER_TIMEOUT_SEC = 60;

  // --- NIOSXaaS pre-delete clean-up ---
  @IsIn(['true', 'false'])
  NIOSXAAS_ENABLED = 'false';

  @IsOptional()
  @IsUrl(URL_OPTIONS)
  NIOSXAAS_BASE_URL?: string;

  @IsOptional()
  @IsString()
  NIOSXAAS_EMAIL?: string;

  @IsOptional()
  @IsString()
  NIOSXAAS_PASSWORD?: string;

  /** Exact name of the services to delete; `*` deletes every service (empty counts as unset). */
  @IsString()
  NIOSXAAS_SERVICE_NAME = 'Instrqt-SaaS';

  @envInt(300, 1)
  NIOSXAAS_TIMEOUT_SEC = 30;

  @IsIn(['true', 'false'])
  NIOSXAAS_SHADOW_MODE = 'true';
}
