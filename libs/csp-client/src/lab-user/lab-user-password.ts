import { randomInt } from 'node:crypto';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ'; // no I, O (read as 1, 0)
const LOWER = 'abcdefghijkmnopqrstuvwxyz'; // no l
const DIGITS = '23456789'; // no 0, 1
/** Symbols that need no quoting in a double-quoted shell string or a `KEY=value` file. */
const SYMBOLS = '@#%+=-_.,:';
const CLASSES = [UPPER, LOWER, DIGITS, SYMBOLS] as const;
const ALL = CLASSES.join('');

export const LAB_PASSWORD_MIN_LENGTH = 16;
export const LAB_PASSWORD_MAX_LENGTH = 128;
/** Characters of each class (upper, lower, digit, symbol) every password has at least. */
export const LAB_PASSWORD_MIN_PER_CLASS = 2;

/**
 * A password for a lab user, from `node:crypto` (`randomInt`: uniform, no modulo bias).
 *
 * Policy: `length` characters (default 20, 16..128); at least 2 upper-case letters, 2 lower-case
 * letters, 2 digits and 2 symbols from `@#%+=-_.,:`; the rest drawn from all four classes; the
 * whole shuffled (Fisher–Yates). Look-alikes (I, O, l, 0, 1) are left out because students type
 * it from the lab screen, and the symbols are safe unquoted in shell variables and `.sh` files
 * (no `$`, `!`, quotes, backslash or back-tick). That meets CSP's policy (12+ characters with
 * upper, lower, digit and symbol) with room to spare: 20 characters from 65 give ~120 bits.
 * @throws RangeError when `length` is outside 16..128.
 */
export function generateLabUserPassword(length = 20): string {
  if (
    !Number.isInteger(length) ||
    length < LAB_PASSWORD_MIN_LENGTH ||
    length > LAB_PASSWORD_MAX_LENGTH
  ) {
    throw new RangeError(
      `lab user password length must be an integer ${LAB_PASSWORD_MIN_LENGTH}..${LAB_PASSWORD_MAX_LENGTH}`,
    );
  }
  const pick = (from: string): string => from[randomInt(from.length)]!;
  const chars: string[] = [];
  for (const cls of CLASSES) {
    for (let i = 0; i < LAB_PASSWORD_MIN_PER_CLASS; i++) chars.push(pick(cls));
  }
  while (chars.length < length) chars.push(pick(ALL));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** Does `password` meet the policy `generateLabUserPassword` guarantees? */
export function meetsLabPasswordPolicy(password: string): boolean {
  if (password.length < LAB_PASSWORD_MIN_LENGTH || password.length > LAB_PASSWORD_MAX_LENGTH) {
    return false;
  }
  if (![...password].every((c) => ALL.includes(c))) return false;
  return CLASSES.every(
    (cls) => [...password].filter((c) => cls.includes(c)).length >= LAB_PASSWORD_MIN_PER_CLASS,
  );
}
