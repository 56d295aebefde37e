import { RequestMethod } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { fastifyServerOptions, installHttpHooks } from '@broker/platform';
import { OPERATIONAL_PATHS } from '../app.module';
import type { ApiConfig } from '../config/api-config';

export const API_PREFIX = 'v1';
export const DOCS_PATH = `/${API_PREFIX}/docs`;
export const OPENAPI_PATH = `/${API_PREFIX}/openapi.json`;

/** Options for NestFactory.create / createNestApplication: our hooks own body parsing. */
export const NEST_APP_OPTIONS = { bufferLogs: true, bodyParser: false } as const;

export function createFastifyAdapter(config: ApiConfig): FastifyAdapter {
  return new FastifyAdapter(
    fastifyServerOptions({ bodyLimit: config.bodyLimitBytes, trustProxy: config.trustProxy }),
  );
}

/**
 * Everything main.ts and the e2e tests share; call before `init()`/`listen()`: logger, HTTP
 * hooks (request id, security headers, lenient body parsing), `/v1` prefix, CORS, Swagger.
 */
export function configureApp(app: NestFastifyApplication, config: ApiConfig): void {
  app.useLogger(app.get(Logger));
  app.flushLogs();
  installHttpHooks(app.getHttpAdapter().getInstance(), {
    docsPaths: [DOCS_PATH],
    hsts: config.nodeEnv === 'production',
    ignoreOtherBodies: true,
  });
  app.setGlobalPrefix(API_PREFIX, {
    exclude: OPERATIONAL_PATHS.map((path) => ({ path: path.slice(1), method: RequestMethod.GET })),
  });
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: [...config.corsOrigins],
      methods: ['GET', 'POST'],
      allowedHeaders: [
        'Authorization',
        'Content-Type',
        'X-Instruqt-Sandbox-ID',
        'X-Track-ID',
        'X-Instruqt-Track-ID',
        'X-Sandbox-Name-Prefix',
        'Idempotency-Key',
        'X-Request-ID',
      ],
      exposedHeaders: ['X-Request-ID', 'Retry-After'],
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
        .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Track token' }, 'track')
        .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Admin token' }, 'admin')
        .build(),
    );
    SwaggerModule.setup(DOCS_PATH.slice(1), app, document, {
      jsonDocumentUrl: OPENAPI_PATH.slice(1),
      yamlDocumentUrl: `${API_PREFIX}/openapi.yaml`,
    });
  }
}
