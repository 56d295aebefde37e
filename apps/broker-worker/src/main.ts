import 'reflect-metadata';
import { systemClock } from '@broker/domain';
import { HttpCspClient } from '@broker/csp-client';
import { createDynamoStore } from '@broker/dynamo-repo';
import { Logger } from 'nestjs-pino';
import { ConfigValidationError } from '@broker/platform';
import { loadWorkerConfig } from './config/worker-config';
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
  const store = createDynamoStore(config.persistence, { clock: systemClock });
  const provider = new HttpCspClient(config.csp);
  const app = await createWorkerApp({ config, store, provider, clock: systemClock });
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
