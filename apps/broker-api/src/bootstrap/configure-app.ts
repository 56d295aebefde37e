import fastifyCookie from '@fastify/cookie';
import { RequestMethod } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { SESSION_COOKIE } from '@broker/auth';
import {
  fastifyServerOptions,
  type HttpMetricsRecorder,
  installHttpHooks,
  installHttpMetrics,
  maskSecrets,
  replyWithProblem,
  type UnroutedAnswer,
} from '@broker/platform';
import { API_METRICS, type ApiMetrics } from '../common/metrics/api-metrics';
import { API_PREFIX, DOCS_PATH, OPENAPI_PATH, OPERATIONAL_PATHS } from '../common/paths';
import type { ApiConfig } from '../config/api-config';
import { CONSOLE_PATH, installConsoleStatic } from './console-static';
import { QuietNestLogger } from './quiet-nest-logger';

/** Request headers a browser may send cross-origin (everything the API reads). */
export const CORS_ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'X-Instruqt-Sandbox-ID',
  'X-Instruqt-Track-ID',
  'X-Sandbox-Name-Prefix',
  'Idempotency-Key',
  'X-Track-ID',
  'X-Request-ID',
] as const;

/**
 * Request headers the API reads as one value: a repeat is 400 VALIDATION_ERROR naming the header
 * (Node would join `X-Instruqt-Sandbox-ID: a` and `X-Instruqt-Sandbox-ID: b` into "a, b", and
 * keep only the first Authorization, Host or Content-Type). List-valued headers (Accept,
 * X-Forwarded-For, Access-Control-Request-Headers, …) may repeat.
 */
export const SINGLE_VALUED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Content-Length',
  'Host',
  'Origin',
  'X-Request-ID',
  'X-Instruqt-Sandbox-ID',
  'X-Track-ID',
  'X-Instruqt-Track-ID',
  'X-Sandbox-Name-Prefix',
  'Idempotency-Key',
  'X-CSRF-Token',
] as const;

/** The OpenAPI security schemes: what the bearer tokens are (and are not). */
const OPAQUE_TOKEN_DESCRIPTION = (role: string, settings: string): string =>
  `Opaque ${role} token: a shared secret configured on the broker (${settings}), sent as ` +
  '`Authorization: Bearer <token>`. Not a JWT: it carries no claims and no expiry, and is ' +
  'compared (as a SHA-256 digest, in constant time) with the configured tokens.';

/** Response headers a browser script may read. */
export const CORS_EXPOSED_HEADERS = [
  'X-Request-ID',
  'Retry-After',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
] as const;

/** Options for NestFactory.create / createNestApplication: our hooks own body parsing. */
export const NEST_APP_OPTIONS = { bufferLogs: true, bodyParser: false } as const;

/**
 * Answers made before routing are reported by the adapter's server options, which exist before
 * the app (and its metrics registry) does; configureApp connects them to the metrics.
 */
const unroutedSinks = new WeakMap<FastifyAdapter, { recorder?: HttpMetricsRecorder }>();

export function createFastifyAdapter(config: ApiConfig): FastifyAdapter {
  const sink: { recorder?: HttpMetricsRecorder } = {};
  const adapter = new FastifyAdapter(
    fastifyServerOptions({
      bodyLimit: config.bodyLimitBytes,
      trustProxy: config.trustProxy,
      hsts: config.nodeEnv === 'production',
      timeouts: config.timeouts,
      onUnroutedAnswer: (answer: UnroutedAnswer) => sink.recorder?.unrouted(answer),
    }),
  );
  unroutedSinks.set(adapter, sink);
  return adapter;
}

/**
 * Everything main.ts and the e2e tests share; call before `init()`/`listen()`: logger, HTTP
 * hooks (request id, security headers, lenient body parsing), request metrics, `/v1` prefix,
 * CORS, Swagger.
 *
 * Security headers come from one onSend hook in libs/platform rather than @fastify/helmet: the
 * same headers, on every response (401, 404, 413, 429, 500 and pre-flights included), at a
 * fraction of helmet's cost per request (see the README's Security section for the numbers).
 */
export function configureApp(app: NestFastifyApplication, config: ApiConfig): void {
  app.useLogger(new QuietNestLogger(app.get(Logger)));
  app.flushLogs();
  const fastify = app.getHttpAdapter().getInstance();
  // Cookie parsing for the console's session cookie (request.cookies, reply.setCookie).
  void fastify.register(fastifyCookie);
  installConsoleStatic(fastify, config.console.distDir);
  installHttpHooks(fastify, {
    docsPaths: [DOCS_PATH],
    consolePaths: [CONSOLE_PATH],
    hsts: config.nodeEnv === 'production',
    ignoreOtherBodies: true,
    singleValuedHeaders: SINGLE_VALUED_HEADERS,
    maxJsonDepth: config.jsonMaxDepth,
  });
  const recorder = installHttpMetrics(app.getHttpAdapter().getInstance(), {
    registry: app.get<ApiMetrics>(API_METRICS).registry,
  });
  const sink = unroutedSinks.get(app.getHttpAdapter() as unknown as FastifyAdapter);
  if (sink !== undefined) sink.recorder = recorder;
  refuseQueryOnDocs(app);
  app.setGlobalPrefix(API_PREFIX, {
    exclude: OPERATIONAL_PATHS.map((path) => ({ path: path.slice(1), method: RequestMethod.GET })),
  });
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      // `*` is refused in production by config validation; credentials are never allowed.
      origin: config.corsOrigins.includes('*') ? '*' : [...config.corsOrigins],
      methods: ['GET', 'POST'],
      allowedHeaders: [...CORS_ALLOWED_HEADERS],
      exposedHeaders: [...CORS_EXPOSED_HEADERS],
      credentials: false,
      maxAge: 3600,
    });
  }
  if (config.swaggerEnabled) {
    const document = SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Sandbox Broker API')
        .setDescription(
          'Hands Infoblox CSP lab sandboxes to Instruqt students. Errors are RFC 9457 ' +
            'application/problem+json with a stable `code` and `request_id`.',
        )
        .setVersion('1.0.0')
        .addBearerAuth(
          {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'opaque',
            description: OPAQUE_TOKEN_DESCRIPTION(
              'track',
              'BROKER_TRACK_TOKENS / BROKER_API_TOKEN',
            ),
          },
          'track',
        )
        .addBearerAuth(
          {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'opaque',
            description: OPAQUE_TOKEN_DESCRIPTION(
              'admin',
              'BROKER_ADMIN_TOKENS / BROKER_ADMIN_TOKEN',
            ),
          },
          'admin',
        )
        .addBearerAuth(
          {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'opaque',
            description: OPAQUE_TOKEN_DESCRIPTION(
              'viewer (read-only operator)',
              'BROKER_VIEWER_TOKENS / BROKER_VIEWER_TOKEN',
            ),
          },
          'viewer',
        )
        .addCookieAuth(SESSION_COOKIE, {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description:
            'Console session from POST /v1/admin/session; state-changing requests with it ' +
            'also need `X-CSRF-Token`.',
        })
        .build(),
    );
    SwaggerModule.setup(DOCS_PATH.slice(1), app, document, {
      jsonDocumentUrl: OPENAPI_PATH.slice(1),
      yamlDocumentUrl: `${API_PREFIX}/openapi.yaml`,
    });
  }
}

/** Pages served by @nestjs/swagger outside Nest's guards and pipes; they take no query either. */
const DOCS_PAGES: ReadonlySet<string> = new Set([
  DOCS_PATH,
  `${DOCS_PATH}/`,
  OPENAPI_PATH,
  `/${API_PREFIX}/openapi.yaml`,
]);

/**
 * Every Nest route refuses unknown query parameters (QueryParametersGuard, the validation pipe);
 * the docs pages are plain Fastify routes, so the same rule is a hook here.
 */
function refuseQueryOnDocs(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    const query = request.url.indexOf('?');
    if (query < 0 || !DOCS_PAGES.has(request.url.slice(0, query))) {
      done();
      return;
    }
    void replyWithProblem(request, reply, {
      status: 400,
      code: 'VALIDATION_ERROR',
      detail: 'This endpoint takes no query parameters',
      errors: [{ field: 'query', message: 'must be empty' }],
    });
  });
}

/**
 * The startup line main.ts writes: where the API listens, where its pages are (the API under
 * `/v1`, health and metrics outside it) and its config with secrets masked.
 */
export function logStartup(app: NestFastifyApplication, config: ApiConfig, url: string): void {
  const docs =
    ` (api ${url}/${API_PREFIX}` +
    (config.swaggerEnabled ? `, docs ${url}${DOCS_PATH}` : '') +
    `, console ${url}${CONSOLE_PATH}/, health ${OPERATIONAL_PATHS.slice(0, 2).join(' ')}` +
    `, metrics ${OPERATIONAL_PATHS[2]})`;
  // nestjs-pino: merge object, message, then the context as the last argument.
  app
    .get(Logger)
    .log({ config: maskSecrets(config) }, `broker-api listening on ${url}${docs}`, 'Bootstrap');
}
