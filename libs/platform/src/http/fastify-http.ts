import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
  RawRequestDefaultExpression,
} from 'fastify';
import { BadRequestException } from '@nestjs/common';
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { REQUEST_ID_HEADER, newRequestId, resolveRequestId } from './request-id';
import { jsonNestsDeeperThan, repeatedHeaders, singleValuedHeaderMap } from './request-shape';

export interface FastifyServerSettings {
  /** Largest accepted request body in bytes. */
  readonly bodyLimit: number;
  /** Fastify `trustProxy`: false, true, a hop count, or a comma list of trusted addresses. */
  readonly trustProxy?: boolean | number | string;
  /** HSTS on the few answers Fastify gives before any hook runs (bad URL, over-long id). */
  readonly hsts?: boolean;
  /** Server deadlines; absent: Node's and Fastify's defaults (no request deadline at all). */
  readonly timeouts?: ServerTimeouts;
  /**
   * Told about every answer given before routing, where no Fastify hook runs: bad URLs and
   * over-long path parameters (`seconds` known), and requests Node's parser refused or timed out
   * (`method` `OTHER`, `seconds` undefined). Lets the app count them without platform knowing
   * the app's metrics.
   */
  readonly onUnroutedAnswer?: (answer: UnroutedAnswer) => void;
}

/** Deadlines of the HTTP server, in milliseconds (0 disables one). */
export interface ServerTimeouts {
  /** Until the request headers are complete (Node `headersTimeout`). */
  readonly headersMs: number;
  /** Until the whole request, body included, is received (Node/Fastify `requestTimeout`). */
  readonly requestMs: number;
  /** How long an idle keep-alive connection stays open (Node/Fastify `keepAliveTimeout`). */
  readonly keepAliveMs: number;
}

/** An answer made before routing (see `FastifyServerSettings.onUnroutedAnswer`). */
export interface UnroutedAnswer {
  readonly method: string;
  readonly status: number;
  readonly code: string;
  /** Undefined for requests Node's parser refused (no request, no start time). */
  readonly seconds: number | undefined;
}

/**
 * How often Node checks the header and request deadlines: a quarter of the shorter one, between
 * 100 ms and Node's default of 30 s (so a deadline fires at most 25% late).
 */
export function connectionsCheckingInterval(timeouts: ServerTimeouts): number {
  const deadlines = [timeouts.headersMs, timeouts.requestMs].filter((ms) => ms > 0);
  if (deadlines.length === 0) return 30_000;
  return Math.min(30_000, Math.max(100, Math.floor(Math.min(...deadlines) / 4)));
}

/**
 * Options for `new FastifyAdapter(...)`. The request id is decided here (Fastify ignores
 * pino-http's `genReqId`), so Fastify, pino-http and the error filter all see the same `req.id`.
 */
export function fastifyServerOptions(settings: FastifyServerSettings): FastifyServerOptions {
  const timeouts = settings.timeouts;
  return {
    bodyLimit: settings.bodyLimit,
    trustProxy: settings.trustProxy ?? false,
    ...(timeouts !== undefined
      ? {
          requestTimeout: timeouts.requestMs,
          keepAliveTimeout: timeouts.keepAliveMs,
          http: {
            headersTimeout: timeouts.headersMs,
            requestTimeout: timeouts.requestMs,
            connectionsCheckingInterval: connectionsCheckingInterval(timeouts),
          },
        }
      : {}),
    requestIdHeader: false,
    genReqId: (req: RawRequestDefaultExpression) => resolveRequestId(req.headers['x-request-id']),
    // One request line comes from pino-http; Fastify's own logger stays off.
    logger: false,
    clientErrorHandler: (error: Error & { code?: string }, socket: Socket) => {
      const answer = answerClientError(error, socket);
      if (answer !== undefined) {
        settings.onUnroutedAnswer?.({ method: 'OTHER', ...answer, seconds: undefined });
      }
    },
    // Malformed URL encoding (`/%`) and over-long path parameters: problem+json, not Fastify's JSON.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode ?? 400;
      const code = status === 414 ? 'URI_TOO_LONG' : 'MALFORMED_REQUEST';
      if (settings.onUnroutedAnswer !== undefined) {
        const notify = settings.onUnroutedAnswer;
        const started = performance.now();
        reply.raw.once('finish', () => {
          notify({
            method: request.method,
            status,
            code,
            seconds: (performance.now() - started) / 1000,
          });
        });
      }
      void reply
        .code(status)
        .headers(securityHeaders(false, settings.hsts === true))
        .header(REQUEST_ID_HEADER, request.id)
        .type(PROBLEM_CONTENT_TYPE_UTF8)
        .send(problemBody(status, code, 'The request URL could not be routed', request.id));
    },
  };
}

const PROBLEM_CONTENT_TYPE_UTF8 = 'application/problem+json; charset=utf-8';

/**
 * Answers from a Fastify hook in the problem+json envelope (hooks outside Nest's routes do not
 * reach ProblemDetailsFilter). The request-id and security-header hooks still apply.
 */
export function replyWithProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: {
    status: number;
    code: string;
    detail: string;
    errors?: readonly { field: string; message: string }[];
  },
): FastifyReply {
  return reply
    .code(problem.status)
    .type(PROBLEM_CONTENT_TYPE_UTF8)
    .send(problemBody(problem.status, problem.code, problem.detail, request.id, problem.errors));
}

function problemBody(
  status: number,
  code: string,
  detail: string,
  requestId: string,
  errors?: readonly { field: string; message: string }[],
): string {
  return JSON.stringify({
    type: `https://sandbox-broker.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: STATUS_CODES[status] ?? 'Bad Request',
    status,
    detail,
    code,
    request_id: requestId,
    ...(errors !== undefined ? { errors } : {}),
  });
}

const CLIENT_ERRORS: Readonly<Record<string, { status: number; code: string }>> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'HEADERS_TOO_LARGE' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'REQUEST_TIMEOUT' },
};

/**
 * Requests Node's HTTP parser refuses (control characters in a header, headers over 16 KiB,
 * garbage) never reach Fastify's routing: answer them in the same problem+json envelope, with the
 * request id and security headers, instead of Fastify's default JSON.
 */
export function answerClientError(
  error: Error & { code?: string },
  socket: Socket,
): { status: number; code: string } | undefined {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return undefined;
  const { status, code } = CLIENT_ERRORS[error.code ?? ''] ?? {
    status: 400,
    code: 'MALFORMED_REQUEST',
  };
  const requestId = newRequestId();
  const body = problemBody(status, code, 'The HTTP request could not be parsed', requestId);
  const headers = {
    'content-type': PROBLEM_CONTENT_TYPE_UTF8,
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
    [REQUEST_ID_HEADER.toLowerCase()]: requestId,
    ...securityHeaders(false, false),
  };
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      Object.entries(headers)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('') +
      `\r\n${body}`,
  );
  return { status, code };
}

export interface HttpHookSettings {
  /** Paths whose responses get the relaxed CSP Swagger UI needs (prefix match). */
  readonly docsPaths?: readonly string[];
  /**
   * Paths of the operator console SPA (prefix match): CONSOLE_CSP, same-origin assets only,
   * no inline scripts.
   */
  readonly consolePaths?: readonly string[];
  /** Send HSTS (only meaningful behind TLS). */
  readonly hsts?: boolean;
  /** Accept and drop bodies of any non-JSON content type instead of answering 415. */
  readonly ignoreOtherBodies?: boolean;
  /**
   * Headers read as one value: sent more than once, the request is refused with 400
   * VALIDATION_ERROR naming them, before routing, guards or handlers (so nothing changes).
   */
  readonly singleValuedHeaders?: readonly string[];
  /** Deepest array/object nesting a JSON body may have (default 32); deeper: 400 JSON_TOO_DEEP. */
  readonly maxJsonDepth?: number;
}

/** Default of `HttpHookSettings.maxJsonDepth`: far beyond any body the broker reads. */
export const DEFAULT_MAX_JSON_DEPTH = 32;

const STRICT_CSP = "default-src 'none'; frame-ancestors 'none'";
const DOCS_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; frame-ancestors 'none'";
/** The console SPA: every asset from the API's own origin, no inline script, no framing. */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
const HSTS = 'max-age=31536000; includeSubDomains';

function frozenHeaders(csp: string, hsts: boolean): Readonly<Record<string, string>> {
  return Object.freeze({
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'permissions-policy': 'geolocation=(), microphone=(), camera=(), payment=(), usb=()',
    'cross-origin-opener-policy': 'same-origin',
    'content-security-policy': csp,
    ...(hsts ? { 'strict-transport-security': HSTS } : {}),
  });
}

const HEADER_SETS = {
  api: frozenHeaders(STRICT_CSP, false),
  apiHsts: frozenHeaders(STRICT_CSP, true),
  docs: frozenHeaders(DOCS_CSP, false),
  docsHsts: frozenHeaders(DOCS_CSP, true),
  console: frozenHeaders(CONSOLE_CSP, false),
  consoleHsts: frozenHeaders(CONSOLE_CSP, true),
} as const;

/** The security headers of the console's pages and assets (CONSOLE_CSP). */
export function consoleSecurityHeaders(hsts: boolean): Readonly<Record<string, string>> {
  return hsts ? HEADER_SETS.consoleHsts : HEADER_SETS.console;
}

/**
 * The security headers every response carries (built once; a response copies one of four
 * frozen sets). The relaxed CSP is for Swagger UI only.
 */
export function securityHeaders(isDocs: boolean, hsts: boolean): Readonly<Record<string, string>> {
  if (isDocs) return hsts ? HEADER_SETS.docsHsts : HEADER_SETS.docs;
  return hsts ? HEADER_SETS.apiHsts : HEADER_SETS.api;
}

/**
 * Call before `app.init()` on an app created with `{ bodyParser: false }` (these hooks own body
 * parsing; Nest's default parsers would clash and fail loudly). Installs: request id echo, a few security headers set in one onSend hook (@fastify/helmet costs about half
 * the throughput of a GET here), and a JSON parser that accepts an empty body: lab scripts POST
 * with `Content-Type: application/json` and no body, and the broker ignores bodies anyway.
 */
export function installHttpHooks(fastify: FastifyInstance, settings: HttpHookSettings = {}): void {
  const docsPaths = settings.docsPaths ?? [];
  const consolePaths = settings.consolePaths ?? [];
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  const singleValued = singleValuedHeaderMap(settings.singleValuedHeaders ?? []);
  if (singleValued.size > 0) {
    fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
      const repeated = repeatedHeaders(request.raw.rawHeaders, singleValued);
      if (repeated.length === 0) {
        done();
        return;
      }
      void replyWithProblem(request, reply, {
        status: 400,
        code: 'VALIDATION_ERROR',
        detail: `The ${repeated.join(', ')} header must be sent once`,
        errors: repeated.map((field) => ({ field, message: 'must be sent once, not repeated' })),
      });
    });
  }
  fastify.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload, done) => {
    const isDocs = docsPaths.some((path) => request.url.startsWith(path));
    const isConsole = !isDocs && consolePaths.some((path) => request.url.startsWith(path));
    void reply.headers(
      isConsole
        ? consoleSecurityHeaders(settings.hsts === true)
        : securityHeaders(isDocs, settings.hsts === true),
    );
    done(null, payload);
  });
  const maxJsonDepth = settings.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH;
  // Fastify's own parser (secure-json-parse: prototype-poisoning safe), except that an empty body
  // is no body and nesting is bounded before anything recurses over the parsed value.
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string' },
    (request: FastifyRequest, body: string | Buffer, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') {
        done(null, undefined);
        return;
      }
      if (jsonNestsDeeperThan(text, maxJsonDepth)) {
        done(
          new BadRequestException({
            code: 'JSON_TOO_DEEP',
            message: `The JSON body nests deeper than ${maxJsonDepth} levels`,
          }),
          undefined,
        );
        return;
      }
      // Fastify's parser reports through `done`; its return value carries nothing.
      void parseJson(request, text, done);
    },
  );
  if (settings.ignoreOtherBodies) {
    // Any other content type (curl -d defaults to form encoding): the body is read and dropped.
    fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, _body, done) => {
      done(null, undefined);
    });
  }
}
