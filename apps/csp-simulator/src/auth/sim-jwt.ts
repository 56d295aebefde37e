import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type SimJwtClaims =
  { kind: 'user'; sub: string } | { kind: 'account'; sub: string; account_id: string };

const b64 = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

/**
 * JWT-shaped session tokens signed with a per-process secret: self-validating, so the
 * simulator keeps no session table however many sign-ins a benchmark makes.
 */
export class SimJwt {
  private readonly secret = randomBytes(32);

  issue(claims: SimJwtClaims): string {
    const head = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64(JSON.stringify({ ...claims, iat: Math.floor(Date.now() / 1000) }));
    return `${head}.${body}.${this.sign(`${head}.${body}`)}`;
  }

  verify(token: string): SimJwtClaims | undefined {
    const [head, body, sig] = token.split('.');
    if (!head || !body || !sig) return undefined;
    const expected = Buffer.from(this.sign(`${head}.${body}`));
    const actual = Buffer.from(sig);
    if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
    try {
      return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as SimJwtClaims;
    } catch {
      return undefined;
    }
  }

  private sign(data: string): string {
    return createHmac('sha256', this.secret).update(data).digest('base64url');
  }
}
