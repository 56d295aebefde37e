import {
  BadRequestException,
  createParamDecorator,
  type ExecutionContext,
  ForbiddenException,
} from '@nestjs/common';
import type { Principal } from '@broker/auth';
import { type AllocationRequest, INPUT_LIMITS, SAFE_HEADER_VALUE } from '@broker/domain';
import type { ProblemFieldError } from '@broker/platform';
import { inputValidationError } from '../../common/validation/input-validation-error';

/** Header names as lab scripts send them (Node lower-cases incoming names). */
export const HEADERS = {
  studentId: 'X-Instruqt-Sandbox-ID',
  legacyStudentId: 'X-Track-ID',
  trackName: 'X-Instruqt-Track-ID',
  namePrefix: 'X-Sandbox-Name-Prefix',
  idempotencyKey: 'Idempotency-Key',
} as const;

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** Trimmed value, or undefined when absent or blank. */
function read(headers: Headers, name: string): string | undefined {
  const raw = headers[name.toLowerCase()];
  const value = (Array.isArray(raw) ? raw.join(',') : raw)?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * `commaAllowed`: a comma is refused where a list is never legal (student ids, track slugs, name
 * prefixes: "stu-A, stu-B" is two values, not one id); Idempotency-Key is opaque and may hold one.
 * Repeated headers are refused before routing (SINGLE_VALUED_HEADERS in bootstrap).
 */
function check(
  field: string,
  value: string | undefined,
  maxLength: number,
  errors: ProblemFieldError[],
  commaAllowed = false,
): void {
  if (value === undefined) return;
  if (value.length > maxLength) {
    errors.push({ field, message: `must be at most ${maxLength} characters` });
  } else if (!SAFE_HEADER_VALUE.test(value)) {
    errors.push({ field, message: 'must contain printable ASCII characters only' });
  } else if (!commaAllowed && value.includes(',')) {
    errors.push({ field, message: 'must be a single value (no commas)' });
  }
}

/**
 * The student id: `X-Instruqt-Sandbox-ID`, or the legacy `X-Track-ID` only when the first is
 * absent or blank. Missing → 400 MISSING_SANDBOX_ID.
 */
function studentIdOf(headers: Headers, errors: ProblemFieldError[]): string {
  const preferred = read(headers, HEADERS.studentId);
  const value = preferred ?? read(headers, HEADERS.legacyStudentId);
  if (value === undefined) {
    throw new BadRequestException({
      code: 'MISSING_SANDBOX_ID',
      message: `The ${HEADERS.studentId} header (student id) is required`,
    });
  }
  const field = preferred !== undefined ? HEADERS.studentId : HEADERS.legacyStudentId;
  check(field, value, INPUT_LIMITS.studentIdMaxLength, errors);
  return value;
}

export function parseStudentId(headers: Headers): string {
  const errors: ProblemFieldError[] = [];
  const studentId = studentIdOf(headers, errors);
  if (errors.length > 0) throw inputValidationError(errors);
  return studentId;
}

/** All allocation inputs, trimmed, length-limited and restricted to safe characters. */
export function parseAllocationHeaders(headers: Headers): AllocationRequest {
  const errors: ProblemFieldError[] = [];
  const studentId = studentIdOf(headers, errors);
  const trackName = read(headers, HEADERS.trackName);
  const namePrefix = read(headers, HEADERS.namePrefix);
  const idempotencyKey = read(headers, HEADERS.idempotencyKey);
  check(HEADERS.trackName, trackName, INPUT_LIMITS.trackNameMaxLength, errors);
  check(HEADERS.namePrefix, namePrefix, INPUT_LIMITS.namePrefixMaxLength, errors);
  check(HEADERS.idempotencyKey, idempotencyKey, INPUT_LIMITS.idempotencyKeyMaxLength, errors, true);
  if (errors.length > 0) throw inputValidationError(errors);
  return {
    studentId,
    idempotencyKey: idempotencyKey ?? studentId,
    ...(namePrefix !== undefined ? { namePrefix } : {}),
    ...(trackName !== undefined ? { trackName } : {}),
  };
}

/**
 * A track token bound to track slugs (BROKER_TRACK_TOKEN_TRACKS) allocates only for those: any
 * other X-Instruqt-Track-ID, or none, is 403 TRACK_NOT_ALLOWED (the slug is not echoed back).
 */
export function assertTrackAllowed(principal: Principal, trackName: string | undefined): void {
  if (principal.tracks === undefined) return;
  if (trackName !== undefined && principal.tracks.includes(trackName)) return;
  throw new ForbiddenException({
    code: 'TRACK_NOT_ALLOWED',
    message:
      trackName === undefined
        ? `This token is bound to tracks; send the ${HEADERS.trackName} header`
        : `This token may not allocate for that ${HEADERS.trackName}`,
  });
}

const headersOf = (ctx: ExecutionContext): Headers =>
  ctx.switchToHttp().getRequest<{ headers: Headers }>().headers;

/**
 * Param decorators run after the guard, so a caller without a valid token gets 401/403 before any
 * header validation (the original checked the student header first).
 */
export const AllocationHeaders = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  parseAllocationHeaders(headersOf(ctx)),
);

export const StudentId = createParamDecorator((_: unknown, ctx: ExecutionContext) =>
  parseStudentId(headersOf(ctx)),
);
