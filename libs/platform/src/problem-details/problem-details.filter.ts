import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Injectable,
  Logger,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { isDomainError } from '@broker/domain';
import { REQUEST_ID_HEADER, newRequestId } from '../http/request-id';
import {
  codeForStatus,
  DOMAIN_PROBLEMS,
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  type ProblemFieldError,
  problemType,
  titleForStatus,
} from './problem-codes';

const GENERIC_DETAIL = 'An unexpected error occurred';

interface ResolvedProblem {
  status: number;
  code: string;
  detail: string;
  errors?: readonly ProblemFieldError[];
  retryAfter?: number;
  /** A domain error's extra members (`problemFields`); never overrides the standard ones. */
  fields?: Readonly<Record<string, unknown>>;
  wwwAuthenticate?: string;
  /** Unexpected: log the cause under `err`. */
  unexpected: boolean;
}

interface RequestLike {
  id?: unknown;
  method?: string;
  url?: string;
}

/**
 * One error envelope for everything (RFC 9457 problem+json): domain errors by code, Nest
 * HttpExceptions, Fastify's own 4xx errors (body too large, bad JSON, ...), and anything else as a
 * generic 500 whose cause is logged, never returned.
 */
@Catch()
@Injectable()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetailsFilter');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<RequestLike>();
    const response = http.getResponse<unknown>();
    const adapter = this.adapterHost.httpAdapter;

    const requestId =
      typeof request.id === 'string' && request.id !== '' ? request.id : newRequestId();
    const problem = resolveProblem(exception);
    if (problem.unexpected) {
      this.logger.error(
        { err: exception, request_id: requestId, method: request.method, url: request.url },
        'Unhandled error',
      );
    }

    const body: ProblemDetails = {
      ...problem.fields,
      type: problemType(problem.code),
      title: titleForStatus(problem.status),
      status: problem.status,
      detail: problem.detail,
      code: problem.code,
      request_id: requestId,
      ...(problem.errors ? { errors: problem.errors } : {}),
      ...(problem.retryAfter !== undefined ? { retry_after: problem.retryAfter } : {}),
    };
    if (adapter.isHeadersSent(response)) return;
    adapter.setHeader(response, REQUEST_ID_HEADER, requestId);
    adapter.setHeader(response, 'Content-Type', PROBLEM_CONTENT_TYPE);
    if (problem.retryAfter !== undefined) {
      adapter.setHeader(response, 'Retry-After', String(problem.retryAfter));
    }
    if (problem.status === 401) {
      adapter.setHeader(response, 'WWW-Authenticate', problem.wwwAuthenticate ?? 'Bearer');
    }
    adapter.reply(response, JSON.stringify(body), problem.status);
  }
}

/** Maps any thrown value to status, code and a detail safe to show. Exported for tests. */
export function resolveProblem(exception: unknown): ResolvedProblem {
  if (isDomainError(exception)) {
    const mapping = DOMAIN_PROBLEMS[exception.code];
    return {
      status: mapping.status,
      code: exception.code,
      detail: exception.message,
      ...(mapping.retryAfter !== undefined ? { retryAfter: mapping.retryAfter } : {}),
      ...(exception.problemFields ? { fields: exception.problemFields } : {}),
      unexpected: false,
    };
  }
  if (exception instanceof HttpException) return fromHttpException(exception);
  const fastifyStatus = clientErrorStatus(exception);
  if (fastifyStatus !== undefined) {
    return {
      status: fastifyStatus,
      code: codeForStatus(fastifyStatus),
      detail: (exception as Error).message,
      unexpected: false,
    };
  }
  return { status: 500, code: 'INTERNAL_ERROR', detail: GENERIC_DETAIL, unexpected: true };
}

function fromHttpException(exception: HttpException): ResolvedProblem {
  const status = exception.getStatus();
  const payload = exception.getResponse();
  const fields: Record<string, unknown> =
    typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
  const message = typeof payload === 'string' ? payload : fields['message'];
  const detail = Array.isArray(message)
    ? message.map(String).join('; ')
    : typeof message === 'string' && message !== ''
      ? message
      : exception.message;
  const code =
    typeof fields['code'] === 'string' && /^[A-Z][A-Z0-9_]*$/.test(fields['code'])
      ? fields['code']
      : codeForStatus(status);
  const retryAfter = fields['retryAfter'];
  const wwwAuthenticate = fields['wwwAuthenticate'];
  return {
    status,
    code,
    detail: status >= 500 && status !== 503 ? GENERIC_DETAIL : detail,
    ...(Array.isArray(fields['errors']) ? { errors: fields['errors'] as ProblemFieldError[] } : {}),
    ...(typeof retryAfter === 'number' ? { retryAfter } : {}),
    ...(typeof wwwAuthenticate === 'string' ? { wwwAuthenticate } : {}),
    unexpected: status >= 500 && status !== 503,
  };
}

/** Fastify's own errors (FST_ERR_CTP_BODY_TOO_LARGE, invalid JSON, ...) carry a 4xx statusCode. */
function clientErrorStatus(exception: unknown): number | undefined {
  if (!(exception instanceof Error)) return undefined;
  const status = (exception as Error & { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
