#!/usr/bin/env node
// Engine probe: where does the "engine ceiling" go? Starts dynalite (in memory, own process),
// creates the broker table (every GSI) and measures conditional UpdateItem/s at one concurrency
// through several clients: raw HTTP (no SDK: dynalite alone), DocumentClient with SDK defaults,
// our createDocumentClient, and a plain DynamoDBClient with `cacheMiddleware: true`.
// Usage: node scripts/bench/engine-probe.mjs [--connections=50] [--seconds=3] [--only=raw,doc]
// (needs `npm run build` for @broker/dynamo-repo). Loopback only, bounded in time.
import { ceilingUpdate, createCeilingItems, rawUpdateSender, startDynalite } from './engine.mjs';
import { parseArgs } from './args.mjs';

const args = parseArgs();
const connections = Number(args.connections ?? 50);
const seconds = Number(args.seconds ?? 3);
const only = args.only ? new Set(args.only.split(',')) : null;

const updateInput = (tableName, i) => ({
  TableName: tableName,
  Key: { PK: `CEILING#${i}`, SK: 'META' },
  UpdateExpression: 'SET n = n + :one',
  ConditionExpression: 'attribute_exists(PK)',
  ExpressionAttributeValues: { ':one': 1 },
});

async function drive(label, send) {
  const items = connections * 4;
  let done = 0;
  const until = Date.now() + seconds * 1000;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: connections }, async (_, w) => {
      let i = w;
      while (Date.now() < until) {
        await send(i % items);
        done += 1;
        i += connections;
      }
    }),
  );
  const perS = Math.round(done / ((Date.now() - started) / 1000));
  const cpu = process.cpuUsage();
  process.stdout.write(`${label.padEnd(44)} ${String(perS).padStart(6)}/s\n`);
  return { perS, cpu };
}

async function main() {
  const repo = await import('@broker/dynamo-repo');
  const { CreateTableCommand, DynamoDBClient, PutItemCommand, UpdateItemCommand } =
    await import('@aws-sdk/client-dynamodb');
  const { DynamoDBDocumentClient, UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
  const engine = await startDynalite(
    args['engine-prof']
      ? {
          nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${args['engine-prof']}`],
        }
      : {},
  );
  try {
    const tableName = 'probe';
    const setup = repo.createDocumentClient({ region: 'us-east-1', endpoint: engine.endpoint });
    if (args['plain-table']) {
      // Same keys, no GSI: how much do the broker table's indexes cost dynalite per write?
      const { createTableInput } = await import('@broker/dynamo-repo/schema');
      const input = createTableInput(tableName);
      delete input.GlobalSecondaryIndexes;
      input.AttributeDefinitions = input.AttributeDefinitions.filter((a) =>
        ['PK', 'SK'].includes(a.AttributeName),
      );
      await setup.send(new CreateTableCommand(input));
      await new Promise((r) => setTimeout(r, 100));
    } else {
      await repo.ensureTable(setup, tableName);
    }
    await createCeilingItems(tableName, connections, (Item) =>
      setup.send(new PutItemCommand({ TableName: tableName, Item })),
    );
    process.stdout.write(
      `dynalite ${engine.endpoint}, ${connections} in flight, ${seconds} s each\n`,
    );
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const variants = {
      raw: () => {
        const send = rawUpdateSender(engine.endpoint, connections);
        return (i) => send(ceilingUpdate(tableName, i));
      },
      'doc-default': () => {
        const c = DynamoDBDocumentClient.from(
          new DynamoDBClient({ endpoint: engine.endpoint, region: 'us-east-1', credentials }),
        );
        return (i) => c.send(new UpdateCommand(updateInput(tableName, i)));
      },
      'doc-ours': () => {
        const c = repo.createDocumentClient({ region: 'us-east-1', endpoint: engine.endpoint });
        return (i) => c.send(new UpdateCommand(updateInput(tableName, i)));
      },
      'low-level-ours': () => {
        const c = repo.lowLevelClientOf(
          repo.createDocumentClient({ region: 'us-east-1', endpoint: engine.endpoint }),
        );
        return (i) => c.send(new UpdateItemCommand(ceilingUpdate(tableName, i)));
      },
      'plain-cache': () => {
        const c = new DynamoDBClient({
          endpoint: engine.endpoint,
          region: 'us-east-1',
          credentials,
          cacheMiddleware: true,
        });
        return (i) => c.send(new UpdateItemCommand(ceilingUpdate(tableName, i)));
      },
    };
    for (const [name, make] of Object.entries(variants)) {
      if (only && !only.has(name)) continue;
      const before = process.cpuUsage();
      const send = make();
      const wall = Date.now();
      const { perS } = await drive(name, send);
      const used = process.cpuUsage(before);
      const cpuMs = (used.user + used.system) / 1000;
      const calls = perS * ((Date.now() - wall) / 1000);
      process.stdout.write(`${''.padEnd(44)} client CPU ${(cpuMs / calls).toFixed(3)} ms/call\n`);
    }
  } finally {
    await engine.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
