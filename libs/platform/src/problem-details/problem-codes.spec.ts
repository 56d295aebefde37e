import * as domain from '@broker/domain';
import { DOMAIN_ERROR_CODES, DomainError } from '@broker/domain';
import { DOMAIN_PROBLEMS } from './problem-codes';

/** Every DomainError subclass the domain exports, constructed with placeholder arguments. */
function exportedDomainErrors(): DomainError[] {
  type ErrorClass = new (...args: string[]) => DomainError;
  return (Object.values(domain) as unknown[])
    .filter(
      (value): value is ErrorClass =>
        typeof value === 'function' && (value as ErrorClass).prototype instanceof DomainError,
    )
    .map((ErrorClass) => new ErrorClass('x', 'available', 'deleted'));
}

describe('DOMAIN_PROBLEMS', () => {
  it('maps every domain error code to an HTTP error status, and nothing else', () => {
    expect(Object.keys(DOMAIN_PROBLEMS).sort()).toEqual([...DOMAIN_ERROR_CODES].sort());
    for (const code of DOMAIN_ERROR_CODES) {
      const { status } = DOMAIN_PROBLEMS[code];
      expect({ code, ok: status >= 400 && status <= 599 }).toEqual({ code, ok: true });
    }
  });

  it('knows the code of every error class the domain exports', () => {
    const errors = exportedDomainErrors();
    expect(errors.length).toBeGreaterThanOrEqual(DOMAIN_ERROR_CODES.length);
    const codes = new Set<string>(DOMAIN_ERROR_CODES);
    expect(errors.map((e) => e.code).filter((code) => !codes.has(code))).toEqual([]);
    expect(new Set(errors.map((e) => e.code))).toEqual(codes);
  });
});
