import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { JobsEnv } from '@broker/jobs/config';

/** Every environment variable the API reads, with its default. Validated once at boot. */
export class ApiEnv extends JobsEnv {
  /**
   * How long POST /v1/admin/sync|cleanup waits for the run before answering 202 with a run id
   * (below the load balancer's idle timeout).
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(50)
  ADMIN_JOB_WAIT_SEC = 10;

  @IsString()
  @IsNotEmpty()
  HOST = '127.0.0.1';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 8080;

  /** Named track tokens `name:token,name2:token2`. */
  @IsOptional()
  @IsString()
  BROKER_TRACK_TOKENS?: string;

  /** Single track token (name `default`), used when BROKER_TRACK_TOKENS is unset. */
  @IsOptional()
  @IsString()
  BROKER_API_TOKEN?: string;

  @IsOptional()
  @IsString()
  BROKER_ADMIN_TOKENS?: string;

  @IsOptional()
  @IsString()
  BROKER_ADMIN_TOKEN?: string;

  /** Comma list of browser origins allowed by CORS; empty means no CORS headers at all. */
  @IsString()
  CORS_ALLOWED_ORIGINS = '';

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  @Max(10 * 1024 * 1024)
  BODY_LIMIT_BYTES = 64 * 1024;

  /** Fastify trustProxy: `false`, `true`, a hop count, or a comma list of proxy addresses. */
  @IsString()
  @Matches(/^(true|false|\d+|[0-9a-fA-F.:/,\s]+)$/, {
    message: 'TRUST_PROXY must be true, false, a hop count or a list of addresses',
  })
  TRUST_PROXY = 'false';

  @IsIn(['true', 'false'])
  SWAGGER_ENABLED = 'true';
}
