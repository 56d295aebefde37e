#!/usr/bin/env node
// Engine cost per operation: CPU milliseconds dynalite spends on each request an allocation makes,
// measured from /proc around a fixed number of requests sent as raw DynamoDB JSON (no SDK, so the
// client's cost does not matter). Starts its own dynalite (in memory, own process), creates the
// broker table (every GSI) and seeds a pool with the rows sync inserts.
// Usage: node scripts/bench/engine-cost.mjs [--pool=20000] [--count=3000]
// (needs `npm run build` for @broker/dynamo-repo). Loopback only, bounded in count.
import { createRequire } from 'node:module';
import { ceilingUpdate, createCeilingItems, rawSender, startDynalite } from './engine.mjs';
import { processCpuMs } from './load.mjs';
import { parseArgs } from './args.mjs';

const require = createRequire(import.meta.url);
const repo = require('@broker/dynamo-repo');
const { createTableInput } = require('@broker/dynamo-repo/schema');
const { marshall } = require('@aws-sdk/util-dynamodb');

const args = parseArgs();
const POOL = Number(args.pool ?? 20_000);
const COUNT = Number(args.count ?? 3_000);
const IN_FLIGHT = 20;
if (POOL < 2 * COUNT) {
  // Each of the two allocate measurements takes `count` distinct available sandboxes.
  console.error(`--pool (${POOL}) must be at least twice --count (${COUNT})`);
  process.exit(2);
}
const TABLE = 'engine-cost';

const engine = await startDynalite();
const send = rawSender(engine.endpoint, IN_FLIGHT);
const now = Math.floor(Date.now() / 1000);
const idOf = (i) => String(3_000_000 + i);
const row = (i) =>
  repo.newAvailableItem(
    {
      sandboxId: idOf(i),
      name: `p${i % 10}-${String(i).padStart(6, '0')}`,
      externalId: `identity/accounts/00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      createdAt: 1_760_000_000,
      sfdcAccountId: null,
    },
    now,
  );

/** Engine CPU ms per request of `op` (per `unitsPerRequest`-th of one, e.g. events in a batch). */
async function measure(label, count, op, unitsPerRequest = 1) {
  let next = 0;
  const before = processCpuMs(engine.pid);
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) await op(next++);
    }),
  );
  const perOp = (processCpuMs(engine.pid) - before) / count / unitsPerRequest;
  process.stdout.write(`${label.padEnd(58)} ${perOp.toFixed(3).padStart(7)} ms\n`);
}

/** The allocation's sandbox write (takeSandbox), with or without owner/track index keys. */
const allocateUpdate = (i, id, indexed) => ({
  TableName: TABLE,
  Key: { PK: { S: `SBX#${id}` }, SK: { S: 'META' } },
  UpdateExpression:
    'SET #status = :allocated, status_pk = :spk, owner_id = :sid, idempotency_key = :key, ' +
    'claim_token = :token, allocated_at = :now, expires_at = :expires, updated_at = :now, ' +
    'version = version + :one, track_name = :track' +
    (indexed ? ', owner_pk = :sid, owner_sk = :osk, track_pk = :track, track_sk = :osk' : ''),
  ConditionExpression: '#status = :available',
  ExpressionAttributeNames: { '#status': 'status' },
  ExpressionAttributeValues: marshall({
    ':allocated': 'allocated',
    ':available': 'available',
    ':spk': `allocated#${String(i % 16).padStart(2, '0')}`,
    ':sid': `student-${i}`,
    ':key': `student-${i}`,
    ':token': `token-${i}`,
    ':now': now,
    ':expires': now + 3600,
    ':one': 1,
    ':track': 'lab',
    ...(indexed ? { ':osk': `${now}#${id}` } : {}),
  }),
  ReturnValues: 'ALL_NEW',
});

const claimItem = (i, listed) =>
  marshall({
    ...repo.newClaimItem({
      studentId: `${listed ? 'l' : 'u'}${i}`,
      idempotencyKey: `k${i}`,
      sandboxId: idOf(i),
      token: `token-${i}`,
      nowMs: Date.now(),
      deadlineMs: Date.now() + 5_000,
      ttl: now + 86_400,
      listed,
    }),
  });

const eventBatch = (i) => ({
  RequestItems: {
    [TABLE]: Array.from({ length: 25 }, (_, j) => {
      const eventId = `${Date.now()}-${i}-${j}-abcdef`;
      return {
        PutRequest: {
          Item: marshall({
            PK: `EVT#${idOf(j)}`,
            SK: eventId,
            event_id: eventId,
            type: 'transition',
            sandbox_id: idOf(j),
            from: 'available',
            to: 'allocated',
            actor: { kind: 'student', id: `s${j}` },
            action: 'allocate',
            request_id: `req-${i}-${j}`,
            details: { track: 'lab' },
            ttl: now + 86_400,
            type_pk: `EVT#transition#${j % 8}`,
            type_sk: eventId,
          }),
        },
      };
    }),
  },
});

try {
  await send('CreateTable', createTableInput(TABLE));
  await new Promise((resolve) => setTimeout(resolve, 700));
  for (let i = 0; i < POOL; i += 25) {
    const batch = [];
    for (let j = i; j < Math.min(POOL, i + 25); j += 1) {
      batch.push({ PutRequest: { Item: marshall(row(j)) } });
    }
    await send('BatchWriteItem', { RequestItems: { [TABLE]: batch } });
  }
  const tinyItems = await createCeilingItems(TABLE, IN_FLIGHT, (Item) =>
    send('PutItem', { TableName: TABLE, Item }),
  );
  process.stdout.write(
    `dynalite CPU per request (pool ${POOL}, ${IN_FLIGHT} in flight, ${COUNT} requests each)\n`,
  );
  // Warm the engine's JIT on the cheapest write first.
  const tiny = (i) => send('UpdateItem', ceilingUpdate(TABLE, i % tinyItems));
  await measure('(warm-up)', COUNT, tiny);
  await measure('UpdateItem, tiny item, no index keys (the ceiling write)', COUNT, tiny);
  await measure('GetItem of a sandbox, consistent', COUNT, (i) =>
    send('GetItem', {
      TableName: TABLE,
      Key: { PK: { S: `SBX#${idOf(i)}` }, SK: { S: 'META' } },
      ConsistentRead: true,
    }),
  );
  await measure('PutItem claim, not listed (first allocation)', COUNT, (i) =>
    send('PutItem', {
      TableName: TABLE,
      Item: claimItem(i, false),
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
  await measure('PutItem claim, listed for repair (TypeIndex entry)', COUNT, (i) =>
    send('PutItem', {
      TableName: TABLE,
      Item: claimItem(i, true),
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
  let taken = 0;
  await measure('UpdateItem allocate: status index entry moved', COUNT, (i) =>
    send('UpdateItem', allocateUpdate(i, idOf(taken++), false)),
  );
  await measure('UpdateItem allocate: + owner and track index entries', COUNT, (i) =>
    send('UpdateItem', allocateUpdate(i, idOf(taken++), true)),
  );
  const batches = Math.max(1, Math.floor(COUNT / 25));
  await measure(
    'BatchWriteItem of 25 events (event log), per event',
    batches,
    (i) => send('BatchWriteItem', eventBatch(i)),
    25,
  );
  await measure('Query StatusIndex available shard, 100 keys (one refill)', 300, (i) =>
    send('Query', {
      TableName: TABLE,
      IndexName: 'StatusIndex',
      KeyConditionExpression: 'status_pk = :pk',
      ProjectionExpression: 'PK, status_sk',
      ExpressionAttributeValues: { ':pk': { S: `available#${String(i % 16).padStart(2, '0')}` } },
      Limit: 100,
    }),
  );
} finally {
  await engine.stop();
}
