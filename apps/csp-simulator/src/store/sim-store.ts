import { randomBytes, randomUUID } from 'node:crypto';

/** An account as the CSP `current_user/accounts` endpoint returns it (snake_case, as on the wire). */
export interface SimAccount {
  id: string;
  csp_id: number;
  name: string;
  account_type: string;
  state: string;
  created_at: string;
  sfdc_account_id: string;
  parent_account_id: string;
}

export interface SimService {
  /** `infra/universal_service/<uuid>`. */
  id: string;
  name: string;
}

export interface NewAccountInput {
  name?: string;
  /** Full `identity/accounts/<uuid>` or a bare uuid; generated when absent. */
  id?: string;
  csp_id?: number;
  account_type?: string;
  state?: string;
  created_at?: string;
  sfdc_account_id?: string;
}

export interface SeedOptions {
  poolSize: number;
  namePrefix: string;
  /** Seed a few accounts the client must filter out (non-sandbox, inactive). */
  withNoise: boolean;
  /** Every n-th seeded sandbox gets a universal service named `serviceName` (0 = none). */
  serviceEvery: number;
  serviceName: string;
}

/** A group in an account (`GET /v2/groups`). */
export interface SimGroup {
  /** `identity/groups/<uuid>`. */
  id: string;
  name: string;
}

/** A user in an account as `GET /v2/users` shows it (the password is never shown). */
export interface SimUser {
  /** `identity/users/<uuid>`. */
  id: string;
  name: string;
  email: string;
  type: string;
  group_ids: string[];
  created_at: string;
}

interface UserEntry {
  user: SimUser;
  password?: string;
}

/** Groups every account is seeded with (the lab user needs `user` and `act_admin`). */
export const SEEDED_GROUPS = ['user', 'act_admin', 'user_admin'] as const;

interface Entry {
  account: SimAccount;
  services: SimService[];
  groups: SimGroup[];
  users: UserEntry[];
  /** Epoch ms at which an asynchronous delete completes. */
  deleteAt?: number;
}

export const ACCOUNT_PATH = 'identity/accounts/';
export const SERVICE_PATH = 'infra/universal_service/';
export const GROUP_PATH = 'identity/groups/';
export const USER_PATH = 'identity/users/';
const FIRST_CSP_ID = 2_000_001;
const PARENT_ID = `${ACCOUNT_PATH}00000000-0000-4000-8000-000000000001`;

export function uuidOfPath(id: string): string {
  const parts = id.split('/');
  return parts[parts.length - 1] ?? id;
}

/** ISO 8601 with microseconds and `Z`, like CSP (`2025-10-04T12:34:56.123456Z`). */
export function cspTimestamp(ms: number): string {
  const micro = String(Math.floor(Math.random() * 1000)).padStart(3, '0');
  return new Date(ms).toISOString().replace('Z', `${micro}Z`);
}

function sfdcId(): string {
  return `001SAND${randomBytes(6).toString('hex').slice(0, 11)}`;
}

/**
 * In-memory provider state. Keyed by account uuid; listing order is by `csp_id` so pages are
 * stable while accounts are added or removed.
 */
export class SimStore {
  private readonly entries = new Map<string, Entry>();
  private nextCspId = FIRST_CSP_ID;
  /** Accounts in `deleting`; purge() is a no-op while this is zero. */
  private pendingDeletes = 0;

  constructor(private readonly now: () => number = Date.now) {}

  seed(opts: SeedOptions): void {
    this.entries.clear();
    this.nextCspId = FIRST_CSP_ID;
    this.pendingDeletes = 0;
    const base = this.now() - opts.poolSize * 60_000;
    for (let i = 1; i <= opts.poolSize; i++) {
      const entry = this.insert({
        name: `${opts.namePrefix}${String(i).padStart(4, '0')}`,
        created_at: cspTimestamp(base + i * 60_000),
        sfdc_account_id: i % 3 === 1 ? sfdcId() : '',
      });
      if (opts.serviceEvery > 0 && i % opts.serviceEvery === 0) {
        entry.services.push(newService(opts.serviceName));
      }
      if (opts.serviceEvery > 0 && i % (opts.serviceEvery * 2) === 0) {
        entry.services.push(newService('other-universal-service'));
      }
    }
    if (opts.withNoise) {
      this.insert({ name: 'lab-parent-enterprise', account_type: 'enterprise', csp_id: 1_000_001 });
      this.insert({ name: `${opts.namePrefix}retired-1`, state: 'inactive', csp_id: 1_000_002 });
      this.insert({ name: `${opts.namePrefix}retired-2`, state: 'suspended', csp_id: 1_000_003 });
    }
  }

  /** Adds accounts; an explicit id/csp_id lets a test re-list an account that was deleted. */
  add(inputs: readonly NewAccountInput[]): SimAccount[] {
    return inputs.map((input) => ({ ...this.insert(input).account }));
  }

  addGenerated(count: number, prefix: string): SimAccount[] {
    const inputs: NewAccountInput[] = [];
    for (let i = 0; i < count; i++) {
      const cspId = this.nextCspId + i;
      inputs.push({
        csp_id: cspId,
        name: `${prefix}${String(cspId - FIRST_CSP_ID + 1).padStart(4, '0')}`,
      });
    }
    return this.add(inputs);
  }

  /** Every account as the provider would list it (deleting ones included), ordered by csp_id. */
  list(): SimAccount[] {
    this.purge();
    return [...this.entries.values()]
      .map((e) => e.account)
      .sort((a, b) => a.csp_id - b.csp_id)
      .map((a) => ({ ...a }));
  }

  get(uuid: string): SimAccount | undefined {
    this.purge();
    const entry = this.entries.get(uuid);
    return entry ? { ...entry.account } : undefined;
  }

  get size(): number {
    this.purge();
    return this.entries.size;
  }

  /** Deletes an account; with a delay it stays listed as `deleting` until the delay elapses. */
  delete(uuid: string, delayMs = 0): 'deleted' | 'deleting' | 'not-found' {
    this.purge();
    const entry = this.entries.get(uuid);
    if (!entry) return 'not-found';
    if (delayMs <= 0) {
      if (entry.deleteAt !== undefined) this.pendingDeletes--;
      this.entries.delete(uuid);
      return 'deleted';
    }
    if (entry.deleteAt === undefined) {
      entry.account.state = 'deleting';
      entry.deleteAt = this.now() + delayMs;
      this.pendingDeletes++;
    }
    return 'deleting';
  }

  services(uuid: string): SimService[] | undefined {
    this.purge();
    return this.entries.get(uuid)?.services.map((s) => ({ ...s }));
  }

  addService(uuid: string, name: string): SimService | undefined {
    this.purge();
    const entry = this.entries.get(uuid);
    if (!entry) return undefined;
    const service = newService(name);
    entry.services.push(service);
    return { ...service };
  }

  deleteService(accountUuid: string, serviceUuid: string): boolean {
    this.purge();
    const entry = this.entries.get(accountUuid);
    if (!entry) return false;
    const index = entry.services.findIndex((s) => uuidOfPath(s.id) === serviceUuid);
    if (index < 0) return false;
    entry.services.splice(index, 1);
    return true;
  }

  /** The account's groups; undefined for an unknown account. */
  groups(uuid: string): SimGroup[] | undefined {
    this.purge();
    return this.entries.get(uuid)?.groups.map((g) => ({ ...g }));
  }

  /** Removes a group by name (tests: an account missing `act_admin`). */
  removeGroup(uuid: string, name: string): boolean {
    const entry = this.entries.get(uuid);
    if (!entry) return false;
    const before = entry.groups.length;
    entry.groups = entry.groups.filter((g) => g.name !== name);
    return entry.groups.length !== before;
  }

  /** The account's users (no passwords); undefined for an unknown account. */
  users(uuid: string): SimUser[] | undefined {
    this.purge();
    return this.entries
      .get(uuid)
      ?.users.map((u) => ({ ...u.user, group_ids: [...u.user.group_ids] }));
  }

  /**
   * Creates a user; `exists` when the e-mail (case-insensitive) is already taken in this account,
   * `bad-group` when a group id is not one of the account's.
   */
  createUser(
    uuid: string,
    input: { name: string; email: string; type: string; group_ids: string[] },
  ): SimUser | 'no-account' | 'exists' | 'bad-group' {
    this.purge();
    const entry = this.entries.get(uuid);
    if (!entry) return 'no-account';
    const email = input.email.toLowerCase();
    if (entry.users.some((u) => u.user.email.toLowerCase() === email)) return 'exists';
    if (!input.group_ids.every((id) => entry.groups.some((g) => g.id === id))) return 'bad-group';
    const user: SimUser = {
      id: `${USER_PATH}${randomUUID()}`,
      name: input.name,
      email: input.email,
      type: input.type,
      group_ids: [...input.group_ids],
      created_at: cspTimestamp(this.now()),
    };
    entry.users.push({ user });
    return { ...user, group_ids: [...user.group_ids] };
  }

  /** Sets a user's password; false when the account or user is unknown. */
  setPassword(accountUuid: string, userUuid: string, password: string): boolean {
    const found = this.userEntry(accountUuid, userUuid);
    if (!found) return false;
    found.password = password;
    return true;
  }

  /** The password last set (tests only; never served by a provider endpoint). */
  passwordOf(accountUuid: string, userUuid: string): string | undefined {
    return this.userEntry(accountUuid, userUuid)?.password;
  }

  deleteUser(accountUuid: string, userUuid: string): boolean {
    this.purge();
    const entry = this.entries.get(accountUuid);
    if (!entry) return false;
    const index = entry.users.findIndex((u) => uuidOfPath(u.user.id) === userUuid);
    if (index < 0) return false;
    entry.users.splice(index, 1);
    return true;
  }

  private userEntry(accountUuid: string, userUuid: string): UserEntry | undefined {
    this.purge();
    return this.entries.get(accountUuid)?.users.find((u) => uuidOfPath(u.user.id) === userUuid);
  }

  /** Full view for `/_sim/accounts`, with services and pending deletion times. */
  dump(): Array<SimAccount & { services: SimService[]; delete_at?: string }> {
    this.purge();
    return [...this.entries.values()]
      .sort((a, b) => a.account.csp_id - b.account.csp_id)
      .map((e) => ({
        ...e.account,
        services: e.services.map((s) => ({ ...s })),
        ...(e.deleteAt !== undefined ? { delete_at: new Date(e.deleteAt).toISOString() } : {}),
      }));
  }

  private insert(input: NewAccountInput): Entry {
    const uuid = input.id ? uuidOfPath(input.id) : randomUUID();
    const previous = this.entries.get(uuid);
    if (previous?.deleteAt !== undefined) this.pendingDeletes--;
    const cspId = input.csp_id ?? this.nextCspId++;
    if (cspId >= this.nextCspId) this.nextCspId = cspId + 1;
    const entry: Entry = {
      account: {
        id: `${ACCOUNT_PATH}${uuid}`,
        csp_id: cspId,
        name: input.name ?? `sim-account-${cspId}`,
        account_type: input.account_type ?? 'sandbox',
        state: input.state ?? 'active',
        created_at: input.created_at ?? cspTimestamp(this.now()),
        sfdc_account_id: input.sfdc_account_id ?? '',
        parent_account_id: PARENT_ID,
      },
      services: [],
      groups: SEEDED_GROUPS.map((name) => ({ id: `${GROUP_PATH}${randomUUID()}`, name })),
      users: [],
    };
    this.entries.set(uuid, entry);
    return entry;
  }

  private purge(): void {
    if (this.pendingDeletes === 0) return;
    const now = this.now();
    for (const [uuid, entry] of this.entries) {
      if (entry.deleteAt !== undefined && entry.deleteAt <= now) {
        this.entries.delete(uuid);
        this.pendingDeletes--;
      }
    }
  }
}

function newService(name: string): SimService {
  return { id: `${SERVICE_PATH}${randomUUID()}`, name };
}
