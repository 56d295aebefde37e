import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
  RawRequestDefaultExpression,
} from 'fastify';
import type { Socket } from 'node:net';
import { STATUS_CODES } from 'node:http';
import { REQUEST_ID_HEADER, newRequestId, resolveRequestId } from './request-id';

export interface FastifyServerSettings {
  /** Largest accepted request body in bytes. */
  readonly bodyLimit: number;
  /** Fastify `trustProxy`: false, true, a hop count, or a comma list of trusted addresses. */
  readonly trustProxy?: boolean | number | string;
  /** HSTS on the few answers Fastify gives before any hook runs (bad URL, over-long id). */
  readonly hsts?: boolean;
}

/**
 * Options for `new FastifyAdapter(...)`. The request id is decided here (Fastify ignores
 * pino-http's `genReqId`), so Fastify, pino-http and the error filter all see the same `req.id`.
 */
export function fastifyServerOptions(settings: FastifyServerSettings): FastifyServerOptions {
  return {
    bodyLimit: settings.bodyLimit,
    trustProxy: settings.trustProxy ?? false,
    requestIdHeader: false,
    genReqId: (req: RawRequestDefaultExpression) => resolveRequestId(req.headers['x-request-id']),
    // One request line comes from pino-http; Fastify's own logger stays off.
    logger: false,
    clientErrorHandler: answerClientError,
    // Malformed URL encoding (`/%`) and over-long path parameters: problem+json, not Fastify's JSON.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode ?? 400;
      const code = status === 414 ? 'URI_TOO_LONG' : 'MALFORMED_REQUEST';
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

function problemBody(status: number, code: string, detail: string, requestId: string): string {
  return JSON.stringify({
    type: `https://sandbox-broker.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: STATUS_CODES[status] ?? 'Bad Request',
    status,
    detail,
    code,
    request_id: requestId,
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
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return;
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
}

export interface HttpHookSettings {
  /** Paths whose responses get the relaxed CSP Swagger UI needs (prefix match). */
  readonly docsPaths?: readonly string[];
  /** Send HSTS (only meaningful behind TLS). */
  readonly hsts?: boolean;
  /** Accept and drop bodies of any non-JSON content type instead of answering 415. */
  readonly ignoreOtherBodies?: boolean;
}

const STRICT_CSP = "default-src 'none'; frame-ancestors 'none'";
const DOCS_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; frame-ancestors 'none'";
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
} as const;

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
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  fastify.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload, done) => {
    const isDocs = docsPaths.some((path) => request.url.startsWith(path));
    void reply.headers(securityHeaders(isDocs, settings.hsts === true));
    done(null, payload);
  });
  // Fastify's own parser (prototype-poisoning safe), except that an empty body is no body.
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
