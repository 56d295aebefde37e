import { type ClassConstructor, plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/** Every invalid setting at once, one line per key, values never shown. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

function describe(errors: readonly ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const key = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property)
        ? `${key}${message.slice(error.property.length)}`
        : `${key}: ${message}`,
    );
    return [...own, ...describe(error.children ?? [], key)];
  });
}

/**
 * Validates the environment once at boot against a class-validator class. Empty strings count as
 * unset, so class defaults apply; strings convert to the declared property types.
 */
export function validateEnv<T extends object>(
  envClass: ClassConstructor<T>,
  env: Readonly<Record<string, string | undefined>>,
): T {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') present[key] = value.trim();
  }
  const instance = plainToInstance(envClass, present, {
    enableImplicitConversion: true,
    exposeDefaultValues: true,
  });
  const errors = validateSync(instance, {
    skipMissingProperties: false,
    forbidUnknownValues: false,
  });
  if (errors.length > 0) throw new ConfigValidationError(describe(errors));
  return instance;
}

const SECRET_KEY = /token|secret|password|passwd|credential|private|api[_-]?key|authorization/i;

/**
 * A copy fit for logging: values of secret-looking keys become `***`; in `*_TOKENS` lists
 * (`name:token,...`) the names stay visible. Nested objects and arrays are masked too.
 */
export function maskSecrets<T>(config: T): T {
  const mask = (key: string, value: unknown): unknown => {
    if (value === null || value === undefined) return value;
    if (Array.isArray(value)) return value.map((item) => mask(key, item));
    if (typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, mask(k, v)]),
      );
    }
    if (!SECRET_KEY.test(key) || value === '') return value;
    if (typeof value === 'string' && /tokens$/i.test(key)) {
      return value
        .split(',')
        .map((entry) => `${entry.split(':')[0]?.trim() ?? ''}:***`)
        .join(',');
    }
    return '***';
  };
  return mask('', config) as T;
}
