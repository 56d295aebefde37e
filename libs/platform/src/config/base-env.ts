// class-transformer's @Type reads design metadata; make sure the polyfill is loaded.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
} from 'class-validator';
import { LOG_LEVELS, type LogLevel } from '../logging/logger-params';

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/** Settings every broker process reads. */
export class BaseEnv {
  @IsIn(NODE_ENVS)
  NODE_ENV: NodeEnv = 'development';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';
}

/** Where the sandbox table lives and the lease rules the repository applies. */
export class PersistenceEnv extends BaseEnv {
  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{3,255}$/, {
    message: 'DDB_TABLE_NAME must be a valid DynamoDB table name',
  })
  DDB_TABLE_NAME = 'sandbox-broker';

  /** Local engine (dynalite, DynamoDB Local) or VPC endpoint; unset means AWS. */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  DDB_ENDPOINT_URL?: string;

  @IsString()
  @Matches(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'AWS_REGION must look like eu-central-1' })
  AWS_REGION = 'us-east-1';

  @IsOptional()
  @IsString()
  @MinLength(1)
  AWS_ACCESS_KEY_ID?: string;

  @IsOptional()
  @IsString()
  @MinLength(1)
  AWS_SECRET_ACCESS_KEY?: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  LAB_DURATION_HOURS = 48;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(7 * 24 * 60)
  GRACE_PERIOD_MINUTES = 30;

  /** Readiness gives DynamoDB this long to answer a ping. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(30_000)
  DDB_PING_TIMEOUT_MS = 1000;

  /** One DynamoDB attempt's deadline, request sent to answer read (ms); enforced. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(60_000)
  DDB_REQUEST_TIMEOUT_MS = 3000;

  /** Deadline to open a connection to DynamoDB (ms). */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  @Max(30_000)
  DDB_CONNECT_TIMEOUT_MS = 1000;

  /** Attempts per DynamoDB call (the SDK retries throttling, 5xx and network failures). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  DDB_MAX_ATTEMPTS = 3;

  /** Budget of one DynamoDB call, every attempt and back-off included (ms): then a 503. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(120_000)
  DDB_CALL_BUDGET_MS = 5000;
}
