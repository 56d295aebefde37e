import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
  RawRequestDefaultExpression,
} from 'fastify';
import { REQUEST_ID_HEADER, resolveRequestId } from './request-id';

export interface FastifyServerSettings {
  /** Largest accepted request body in bytes. */
  readonly bodyLimit: number;
  /** Fastify `trustProxy`: false, true, a hop count, or a comma list of trusted addresses. */
  readonly trustProxy?: boolean | number | string;
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
  };
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
    void reply.headers({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'content-security-policy': isDocs ? DOCS_CSP : STRICT_CSP,
      ...(settings.hsts
        ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }
        : {}),
    });
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
