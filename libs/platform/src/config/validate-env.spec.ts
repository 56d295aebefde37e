import { Type } from 'class-transformer';
import { IsInt, Min } from 'class-validator';
import { PersistenceEnv } from './base-env';
import { ConfigValidationError, maskSecrets, validateEnv } from './validate-env';

class DemoEnv extends PersistenceEnv {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  PORT = 8080;
}

describe('validateEnv', () => {
  it('applies defaults, treats blank values as unset and converts numbers', () => {
    const env = validateEnv(DemoEnv, { PORT: ' 9000 ', LOG_LEVEL: '', UNRELATED: 'x' });
    expect(env.PORT).toBe(9000);
    expect(env.LOG_LEVEL).toBe('info');
    expect(env.NODE_ENV).toBe('development');
    expect(env.DDB_TABLE_NAME).toBe('sandbox-broker');
    expect(env.LAB_DURATION_HOURS).toBe(48);
    expect(env.GRACE_PERIOD_MINUTES).toBe(30);
    expect(env.DDB_ENDPOINT_URL).toBeUndefined();
  });

  it('throws one error naming every bad key', () => {
    let error: unknown;
    try {
      validateEnv(DemoEnv, {
        PORT: 'eighty',
        NODE_ENV: 'prod',
        DDB_ENDPOINT_URL: 'localhost:8000',
        AWS_REGION: 'Frankfurt',
        LAB_DURATION_HOURS: '0',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const keys = (error as ConfigValidationError).problems.map((p) => p.split(/[ :]/)[0]);
    expect(new Set(keys)).toEqual(
      new Set(['PORT', 'NODE_ENV', 'DDB_ENDPOINT_URL', 'AWS_REGION', 'LAB_DURATION_HOURS']),
    );
    expect((error as Error).message).toContain('Invalid configuration:\n  - ');
  });
});

describe('maskSecrets', () => {
  it('masks secret-looking keys, keeps token names of *_TOKENS lists, and recurses', () => {
    const masked = maskSecrets({
      PORT: 8080,
      BROKER_API_TOKEN: 'abc',
      BROKER_TRACK_TOKENS: 'ci:one,lab:two',
      AWS_SECRET_ACCESS_KEY: 'xyz',
      CSP_PASSWORD: '',
      auth: { track: [{ name: 'ci', token: 'one' }] },
    });
    expect(masked).toEqual({
      PORT: 8080,
      BROKER_API_TOKEN: '***',
      BROKER_TRACK_TOKENS: 'ci:***,lab:***',
      AWS_SECRET_ACCESS_KEY: '***',
      CSP_PASSWORD: '',
      auth: { track: [{ name: 'ci', token: '***' }] },
    });
  });
});
