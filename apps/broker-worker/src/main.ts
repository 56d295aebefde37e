import 'reflect-metadata';
import { systemClock } from '@broker/domain';
import { HttpCspClient } from '@broker/csp-client';
import { Logger } from 'nestjs-pino';
import { ConfigValidationError } from '@broker/platform';
import { loadWorkerConfig } from './config/worker-config';
import { createDynamoWorkerStorage } from './storage/worker-storage';
import { createWorkerApp } from './worker-app';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadWorkerConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const storage = createDynamoWorkerStorage(config.persistence, systemClock);
  const provider = new HttpCspClient(config.csp);
  const app = await createWorkerApp({ config, storage, provider, clock: systemClock });
  app.enableShutdownHooks();
  await app.listen({ host: config.host, port: config.port });
  app.get(Logger).log(
    {
      url: `http://${config.host}:${config.port}`,
      jobsEnabled: config.jobsEnabled,
      intervalsMs: config.intervalsMs,
      requestPollMs: config.requestPollMs,
      cspBaseUrl: config.csp.baseUrl,
      niosxaas: config.csp.niosxaas?.enabled ?? false,
      table: config.persistence.tableName,
    },
    'broker-worker listening',
    'Bootstrap',
  );
}

void bootstrap();
