/**
 * The single-table layout: the one source of truth for the repository code, dev/test table creation
 * and the CDK stack in infra/. Plain data, no SDK imports, so infra can import it cheaply.
 *
 * Items:
 * - sandbox   PK `SBX#<sandboxId>`            SK `META`
 * - claim     PK `CLAIM#<studentId>#<idemKey>` SK `CLAIM`
 * - job lease PK `LEASE#<job>`                SK `LEASE`
 * - quota     PK `TRACKQ#<slug>`                SK `QUOTA` (counter: max_allocated, held; no index keys)
 *             PK `TRACKQ#<slug>`                SK `REG`   (listing entry, TypeIndex `TRACKQ` → slug)
 * - event     PK `EVT#<sandboxId>`             SK `<eventId>`   (per-sandbox history, newest first)
 *             PK `EVENT#<eventId>`             SK `EVENT`       (events not tied to one sandbox)
 *   and in TypeIndex `type_pk = EVT#<type>#<event shard>` → `type_sk = <eventId>` (global listing:
 *   EVENT_SHARD_COUNT partitions per type, merged newest first; event ids start with 13-digit ms,
 *   so a time range is a key condition). The event id is unique, so every key pair is too.
 *
 * Every index's (partition, sort) pair is unique per item: sort keys end with the item's own id,
 * because dynalite silently drops one of two index entries whose keys are identical.
 */
export const DEFAULT_TABLE_NAME = 'sandbox-broker';

export const KEY_ATTRIBUTES = { partition: 'PK', sort: 'SK' } as const;

/** Hot-key spreading: index partition keys carry one of this many shard suffixes. */
export const SHARD_COUNT = 16;

/**
 * Event-log write spreading: TypeIndex partitions per event type. Each takes ~1/8 of the events
 * (a DynamoDB partition takes 1,000 writes/s), and a global listing reads 2 × 8 partitions.
 */
export const EVENT_SHARD_COUNT = 8;

/** Attribute holding an epoch-seconds expiry; DynamoDB's TTL deletes claims and events after it. */
export const TTL_ATTRIBUTE = 'ttl';

export type Projection = 'ALL' | 'KEYS_ONLY';

export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly projection: Projection;
  readonly purpose: string;
}

export const INDEXES = {
  /**
   * Every sandbox: `<status>#<shard>` → `<name>#<sandboxId>`; allocation candidates (the
   * `available#<shard>` partitions, prefix = begins_with), listings, exact counts, jobs. One index
   * for candidates and status: an allocation moves one index entry, and a row can never be a
   * candidate under one index while another says it is taken.
   */
  status: {
    name: 'StatusIndex',
    partitionKey: 'status_pk',
    sortKey: 'status_sk',
    projection: 'ALL',
    purpose: 'allocation candidates, admin listing and counts by status, background jobs',
  },
  /** Sandboxes ever owned: `<studentId>` → `<allocatedAt>#<sandboxId>`. */
  owner: {
    name: 'OwnerIndex',
    partitionKey: 'owner_pk',
    sortKey: 'owner_sk',
    projection: 'ALL',
    purpose: 'admin listing by owner',
  },
  /** Sandboxes allocated for a lab: `<trackName>` → `<allocatedAt>#<sandboxId>`. */
  track: {
    name: 'TrackIndex',
    partitionKey: 'track_pk',
    sortKey: 'track_sk',
    projection: 'ALL',
    purpose: 'admin listing by track slug',
  },
  /**
   * Sparse: sandbox rows written by the provider sync (insert or refresh) or the migration carry
   * `external_pk = <provider account uuid, lower case>` → `external_sk = <sandboxId>`. Resolves
   * the account id old lab scripts send instead of the broker id. Keys only: the row itself is
   * then read with a consistent GetItem.
   */
  external: {
    name: 'ExternalIndex',
    partitionKey: 'external_pk',
    sortKey: 'external_sk',
    projection: 'KEYS_ONLY',
    purpose: 'sandbox by provider account id (lab-script compatibility)',
  },
  /** Non-sandbox items that jobs and admin read in order: open claims, events. */
  type: {
    name: 'TypeIndex',
    partitionKey: 'type_pk',
    sortKey: 'type_sk',
    projection: 'ALL',
    purpose: 'open allocation claims (repair job), event log newest first, track quotas',
  },
} as const satisfies Record<string, IndexDefinition>;

export const ALL_INDEXES: readonly IndexDefinition[] = Object.values(INDEXES);

export interface AttributeDefinition {
  readonly name: string;
  readonly type: 'S' | 'N';
}

/** Every key attribute of the table and its indexes (all strings). */
export const KEY_ATTRIBUTE_DEFINITIONS: readonly AttributeDefinition[] = [
  { name: KEY_ATTRIBUTES.partition, type: 'S' },
  { name: KEY_ATTRIBUTES.sort, type: 'S' },
  ...ALL_INDEXES.flatMap((index) => [
    { name: index.partitionKey, type: 'S' as const },
    { name: index.sortKey, type: 'S' as const },
  ]),
];
