import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { Server } from 'node:http';
import { systemClock } from '@broker/domain';
import { aProviderPool } from '@broker/domain/testing';
import { DynamoSandboxRepository } from '@broker/dynamo-repo';
import { createTestTable, startDynalite } from '@broker/dynamo-repo/testing';
import { AppModule, type AppModuleOptions } from '../../src/app.module';
import {
  configureApp,
  createFastifyAdapter,
  NEST_APP_OPTIONS,
} from '../../src/bootstrap/configure-app';
import { type ApiConfig, loadApiConfig } from '../../src/config/api-config';

export const TRACK_TOKEN = 'e2e-track-token-0001';
export const OTHER_TRACK_TOKEN = 'e2e-track-token-0002';
export const ADMIN_TOKEN = 'e2e-admin-token-0001';
export const VIEWER_TOKEN = 'e2e-viewer-token-0001';

export interface ApiTestApp {
  readonly app: NestFastifyApplication;
  readonly server: Server;
  readonly config: ApiConfig;
  /** The engine and table underneath (a test worker app joins the same table). */
  readonly endpoint: string;
  readonly tableName: string;
  /** A second repository on the same table, for seeding and inspecting rows. */
  readonly repository: DynamoSandboxRepository;
  /** Inserts `count` available sandboxes named `<prefix>0001`… through the sync path. */
  seed(count: number, prefix?: string): Promise<void>;
  /** Every item of the table, sorted by key (to prove a request changed nothing). */
  scanTable(): Promise<Record<string, unknown>[]>;
  /** Stops the engine underneath (readiness tests). */
  stopEngine(): Promise<void>;
  close(): Promise<void>;
}

/** The real AppModule through configureApp on Fastify, over a fresh table in its own dynalite. */
export async function startApiTestApp(
  env: Record<string, string> = {},
  moduleOptions: Pick<AppModuleOptions, 'logStream'> = {},
  /**
   * Joins the engine and table of an earlier app (a broker restart: close the earlier app's
   * `app` only, start a new one with its `endpoint` and `tableName`). `close()` of the new app
   * leaves that engine running; the earlier app's `close()` stops it.
   */
  store?: { readonly endpoint: string; readonly tableName: string },
): Promise<ApiTestApp> {
  const engine = store
    ? { endpoint: store.endpoint, stop: () => Promise.resolve() }
    : await startDynalite();
  let client: DynamoDBDocumentClient | undefined;
  try {
    const created = await createTestTable(engine.endpoint);
    const table = store ? { client: created.client, tableName: store.tableName } : created;
    client = table.client;
    const config = loadApiConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DDB_ENDPOINT_URL: engine.endpoint,
      DDB_TABLE_NAME: table.tableName,
      BROKER_TRACK_TOKENS: `lab:${TRACK_TOKEN},other-lab:${OTHER_TRACK_TOKEN}`,
      BROKER_ADMIN_TOKENS: `ops:${ADMIN_TOKEN}`,
      BROKER_VIEWER_TOKENS: `instructor:${VIEWER_TOKEN}`,
      ...env,
    });
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot(config, moduleOptions)],
    }).compile();
    const app = moduleRef.createNestApplication<NestFastifyApplication>(
      createFastifyAdapter(config),
      NEST_APP_OPTIONS,
    );
    configureApp(app, config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const repository = new DynamoSandboxRepository({
      client: table.client,
      tableName: table.tableName,
      clock: systemClock,
      lease: config.persistence.lease,
    });
    let engineStopped = false;
    const stopEngine = async () => {
      if (engineStopped) return;
      engineStopped = true;
      await engine.stop();
    };
    return {
      app,
      server: app.getHttpServer(),
      config,
      endpoint: engine.endpoint,
      tableName: table.tableName,
      repository,
      seed: async (count, prefix = 'lab-demo-') => {
        for (const sandbox of aProviderPool(count, prefix)) {
          await repository.upsertFromProvider(sandbox);
        }
      },
      scanTable: async () => {
        const items: Record<string, unknown>[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const page = await table.client.send(
            new ScanCommand({ TableName: table.tableName, ExclusiveStartKey: start }),
          );
          items.push(...(page.Items ?? []));
          start = page.LastEvaluatedKey;
        } while (start !== undefined);
        const key = (item: Record<string, unknown>) =>
          `${String(item['PK'])}|${String(item['SK'])}`;
        return items.sort((a, b) => key(a).localeCompare(key(b)));
      },
      stopEngine,
      close: async () => {
        await app.close();
        table.client.destroy();
        await stopEngine();
      },
    };
  } catch (error) {
    client?.destroy();
    await engine.stop();
    throw error;
  }
}
