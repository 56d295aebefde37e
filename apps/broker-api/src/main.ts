import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ConfigValidationError } from '@broker/platform';
import { AppModule } from './app.module';
import {
  configureApp,
  createFastifyAdapter,
  logStartup,
  NEST_APP_OPTIONS,
} from './bootstrap/configure-app';
import { type ApiConfig, loadApiConfig } from './config/api-config';

function loadConfigOrExit(): ApiConfig {
  try {
    return loadApiConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`broker-api: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createFastifyAdapter(config),
    NEST_APP_OPTIONS,
  );
  configureApp(app, config);
  app.enableShutdownHooks();
  await app.listen({ host: config.host, port: config.port });
  logStartup(app, config, await app.getUrl());
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`broker-api failed to start: ${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});
