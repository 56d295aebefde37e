import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { fastifyServerOptions } from '@broker/platform';
import { WorkerModule, type WorkerModuleOptions } from './worker.module';

/**
 * Builds (does not listen) the worker app on Fastify. main.ts and the tests share it; tests pass
 * in-memory or dynalite storage and the simulator-backed provider.
 */
export async function createWorkerApp(
  options: WorkerModuleOptions,
  settings: { bufferLogs?: boolean } = {},
): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    WorkerModule.forRoot(options),
    new FastifyAdapter(fastifyServerOptions({ bodyLimit: 16 * 1024 })),
    { bufferLogs: settings.bufferLogs ?? true },
  );
  app.useLogger(app.get(Logger));
  return app;
}
