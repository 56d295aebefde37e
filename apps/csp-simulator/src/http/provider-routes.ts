import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { SimJwt } from '../auth/sim-jwt';
import type { SimulatorConfig } from '../config/sim-config';
import type { FaultRegistry, SimOperation } from '../faults/faults';
import type { SimStats } from '../stats/sim-stats';
import { ACCOUNT_PATH, uuidOfPath, type SimStore } from '../store/sim-store';
import { HttpError, bearer, parseJson, readBody, sendError, sendHtml, sendJson } from './http-util';

export interface SimContext {
  readonly config: SimulatorConfig;
  readonly store: SimStore;
  readonly stats: SimStats;
  readonly faults: FaultRegistry;
  readonly jwt: SimJwt;
  /** Timer that the simulator cancels on stop. */
  sleep(ms: number): Promise<void>;
}

interface Route {
  op: SimOperation;
  /** Account the call is about, when known before the handler runs (fault matching, stats). */
  accountUuid?: string;
  handle(): void;
}

const LIST_PATH = '/v2/current_user/accounts';
const DELETE_PREFIX = '/v2/sandbox/accounts/';
const SIGN_IN_PATH = '/v2/session/users/sign_in';
const SWITCH_PATH = '/v2/session/account_switch';
const SERVICES_PATH = '/api/universalinfra/v1/universalservices';
const GROUPS_PATH = '/v2/groups';
const USERS_PATH = '/v2/users';

/** What the simulator's identity service accepts as a password (like CSP's policy). */
export function meetsPasswordPolicy(password: string): boolean {
  return (
    password.length >= 12 &&
    password.length <= 128 &&
    /[A-Z]/.test(password) &&
    /[a-z]/.test(password) &&
    /\d/.test(password) &&
    /[^A-Za-z0-9]/.test(password)
  );
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function queryInt(url: URL, key: string, fallback: number, min: number): number {
  const raw = url.searchParams.get(key);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    throw new HttpError(400, `${key} must be an integer >= ${min}`, 'INVALID_PARAMETER');
  }
  return n;
}

/**
 * Handles a provider (CSP / NIOSXaaS) request. Returns false when the path is not one of them.
 * Order: count the call, add latency, apply a fault, then authenticate and do the operation.
 */
export async function handleProvider(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const route = await resolve(ctx, req, res, url);
  if (!route) return false;
  const { op, accountUuid } = route;
  ctx.stats.arrived(op, accountUuid);
  res.on('finish', () => ctx.stats.answered(op, res.statusCode));

  if (ctx.config.baseLatencyMs > 0) await ctx.sleep(ctx.config.baseLatencyMs);
  const fault = ctx.faults.next(op, accountUuid);
  if (fault) {
    if (fault.latencyMs) await ctx.sleep(fault.latencyMs);
    if (fault.hang) {
      ctx.stats.answered(op, 'hang');
      return true; // never answered; the client's timeout ends it
    }
    if (fault.status !== undefined) {
      const headers: Record<string, string> = {};
      if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
      if (fault.contentType !== undefined) headers['content-type'] = fault.contentType;
      if (fault.html) sendHtml(res, fault.status, headers);
      else if (fault.status < 300) {
        sendJson(res, fault.status, fault.status === 204 ? undefined : {}, headers);
      } else {
        sendError(res, fault.status, `injected fault ${fault.id}`, 'SIM_INJECTED_FAULT', headers);
      }
      return true;
    }
  }
  route.handle();
  return true;
}

async function resolve(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<Route | undefined> {
  const path = url.pathname.replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  const { config, store, jwt } = ctx;

  const requireToken = (): boolean => {
    const token = bearer(req, 'Token');
    if (token !== undefined && safeEqual(token, config.cspToken)) return true;
    sendError(res, 401, 'missing or invalid API token (expected "Token <key>")', 'UNAUTHORIZED');
    return false;
  };

  if (method === 'GET' && path === LIST_PATH) {
    return {
      op: 'list',
      handle: () => {
        if (!requireToken()) return;
        const all = filtered(store.list(), url.searchParams.get('_filter'));
        if (config.listPaging === 'unpaged') {
          sendJson(res, 200, { results: all });
          return;
        }
        const offset = queryInt(url, '_offset', 0, 0);
        const limit = Math.min(queryInt(url, '_limit', DEFAULT_LIMIT, 1), MAX_LIMIT);
        const results = all.slice(offset, offset + limit);
        sendJson(
          res,
          200,
          config.listPaging === 'paged'
            ? { results, page: { offset, limit, total: all.length } }
            : { results },
        );
      },
    };
  }

  if (method === 'DELETE' && path.startsWith(DELETE_PREFIX)) {
    const uuid = decodeURIComponent(path.slice(DELETE_PREFIX.length));
    if (uuid === '' || uuid.includes('/')) return undefined;
    return {
      op: 'delete',
      accountUuid: uuid,
      handle: () => {
        if (!requireToken()) return;
        const outcome = store.delete(uuid, config.deleteDelayMs);
        if (outcome === 'not-found') {
          sendError(res, 404, `account ${uuid} not found`, 'NOT_FOUND');
        } else if (outcome === 'deleting') {
          sendJson(res, 200, { id: `${ACCOUNT_PATH}${uuid}`, state: 'deleting' });
        } else {
          sendJson(res, 204, undefined);
        }
      },
    };
  }

  if (method === 'POST' && path === SIGN_IN_PATH) {
    const body = asRecord(parseJson(await readBody(req)));
    return {
      op: 'sign_in',
      handle: () => {
        const email = body['email'];
        const password = body['password'];
        if (
          typeof email === 'string' &&
          typeof password === 'string' &&
          safeEqual(email, config.niosEmail) &&
          safeEqual(password, config.niosPassword)
        ) {
          sendJson(res, 200, { jwt: jwt.issue({ kind: 'user', sub: email }) });
        } else {
          sendError(res, 401, 'invalid email or password', 'UNAUTHORIZED');
        }
      },
    };
  }

  if (method === 'POST' && path === SWITCH_PATH) {
    const body = asRecord(parseJson(await readBody(req)));
    const target = typeof body['id'] === 'string' ? body['id'] : '';
    const uuid = target === '' ? undefined : uuidOfPath(target);
    return {
      op: 'account_switch',
      ...(uuid !== undefined ? { accountUuid: uuid } : {}),
      handle: () => {
        const claims = jwt.verify(bearer(req, 'Bearer') ?? '');
        if (claims?.kind !== 'user') {
          sendError(res, 401, 'missing or invalid session token', 'UNAUTHORIZED');
          return;
        }
        if (uuid === undefined) {
          sendError(res, 400, 'body must be {"id": "identity/accounts/<uuid>"}', 'INVALID_BODY');
          return;
        }
        const account = store.get(uuid);
        if (!account || account.state === 'deleting') {
          sendError(res, 404, `account ${target} not found`, 'NOT_FOUND');
          return;
        }
        sendJson(res, 200, {
          jwt: jwt.issue({ kind: 'account', sub: claims.sub, account_id: account.id }),
        });
      },
    };
  }

  if (path === SERVICES_PATH || path.startsWith(`${SERVICES_PATH}/`)) {
    const serviceUuid = path === SERVICES_PATH ? '' : path.slice(SERVICES_PATH.length + 1);
    const isList = method === 'GET' && serviceUuid === '';
    const isDelete = method === 'DELETE' && serviceUuid !== '' && !serviceUuid.includes('/');
    if (!isList && !isDelete) return undefined;
    const claims = jwt.verify(bearer(req, 'Bearer') ?? '');
    const accountUuid = claims?.kind === 'account' ? uuidOfPath(claims.account_id) : undefined;
    return {
      op: isList ? 'services_list' : 'service_delete',
      ...(accountUuid !== undefined ? { accountUuid } : {}),
      handle: () => {
        if (accountUuid === undefined) {
          sendError(res, 401, 'missing or invalid account session token', 'UNAUTHORIZED');
          return;
        }
        const services = store.services(accountUuid);
        if (!services) {
          sendError(res, 404, 'account not found', 'NOT_FOUND');
        } else if (isList) {
          sendJson(res, 200, { results: services });
        } else if (store.deleteService(accountUuid, decodeURIComponent(serviceUuid))) {
          sendJson(res, 200, {});
        } else {
          sendError(res, 404, `universal service ${serviceUuid} not found`, 'NOT_FOUND');
        }
      },
    };
  }
  if (path === GROUPS_PATH || path === USERS_PATH || path.startsWith(`${USERS_PATH}/`)) {
    return identityRoute(ctx, req, res, url, path, method);
  }
  return undefined;
}

/**
 * The account's identity API (groups, users, passwords), with an account session token from
 * the account switch. User ids in paths may be `identity/users/<uuid>` or the bare uuid.
 */
async function identityRoute(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  path: string,
  method: string,
): Promise<Route | undefined> {
  const { store, jwt } = ctx;
  const claims = jwt.verify(bearer(req, 'Bearer') ?? '');
  const accountUuid = claims?.kind === 'account' ? uuidOfPath(claims.account_id) : undefined;
  const scoped = (op: SimOperation, handle: (account: string) => void): Route => ({
    op,
    ...(accountUuid !== undefined ? { accountUuid } : {}),
    handle: () => {
      if (accountUuid === undefined) {
        sendError(res, 401, 'missing or invalid account session token', 'UNAUTHORIZED');
        return;
      }
      if (!store.get(accountUuid)) {
        sendError(res, 404, 'account not found', 'NOT_FOUND');
        return;
      }
      handle(accountUuid);
    },
  });

  if (path === GROUPS_PATH) {
    if (method !== 'GET') return undefined;
    return scoped('groups_list', (account) => {
      sendJson(res, 200, { results: store.groups(account) ?? [] });
    });
  }

  if (path === USERS_PATH && method === 'GET') {
    const filter = url.searchParams.get('_filter');
    return scoped('users_list', (account) => {
      const users = store.users(account) ?? [];
      if (filter === null || filter.trim() === '') {
        sendJson(res, 200, { results: users });
        return;
      }
      const email = /^\s*email\s*==\s*"([^"]+)"\s*$/.exec(filter)?.[1];
      if (email === undefined) {
        sendError(res, 400, `unsupported _filter expression: ${filter}`, 'INVALID_FILTER');
        return;
      }
      const wanted = email.toLowerCase();
      sendJson(res, 200, { results: users.filter((u) => u.email.toLowerCase() === wanted) });
    });
  }

  if (path === USERS_PATH && method === 'POST') {
    const body = asRecord(parseJson(await readBody(req)));
    return scoped('user_create', (account) => {
      const { name, email, type } = body;
      const groupIds = body['group_ids'];
      if (
        typeof name !== 'string' ||
        name.trim() === '' ||
        typeof email !== 'string' ||
        !/^[^@\s"]+@[^@\s"]+$/.test(email) ||
        typeof type !== 'string' ||
        !Array.isArray(groupIds) ||
        !groupIds.every((g): g is string => typeof g === 'string')
      ) {
        sendError(
          res,
          400,
          'body must be {name, email, type, group_ids: [identity/groups/<uuid>]}',
          'INVALID_BODY',
        );
        return;
      }
      const created = store.createUser(account, { name, email, type, group_ids: groupIds });
      if (created === 'exists') {
        sendError(res, 409, `user ${email} already exists`, 'CONFLICT');
      } else if (created === 'bad-group') {
        sendError(res, 400, 'unknown group id in group_ids', 'INVALID_GROUP');
      } else if (created === 'no-account') {
        sendError(res, 404, 'account not found', 'NOT_FOUND');
      } else {
        sendJson(res, 201, { result: created });
      }
    });
  }

  const rest = decodeURIComponent(path.slice(USERS_PATH.length + 1));
  const password = /^(?:identity\/users\/)?([^/]+)\/password$/.exec(rest)?.[1];
  if (password !== undefined && method === 'POST') {
    const body = asRecord(parseJson(await readBody(req)));
    return scoped('user_password', (account) => {
      const next = body['new_password'];
      if (typeof next !== 'string' || !meetsPasswordPolicy(next)) {
        sendError(
          res,
          400,
          'new_password must be 12-128 characters with upper, lower, digit and symbol',
          'PASSWORD_POLICY',
        );
      } else if (store.setPassword(account, password, next)) {
        sendJson(res, 200, {});
      } else {
        sendError(res, 404, 'user not found', 'NOT_FOUND');
      }
    });
  }

  const userUuid = /^(?:identity\/users\/)?([^/]+)$/.exec(rest)?.[1];
  if (userUuid !== undefined && method === 'DELETE') {
    return scoped('user_delete', (account) => {
      if (store.deleteUser(account, userUuid)) sendJson(res, 204, undefined);
      else sendError(res, 404, `user ${userUuid} not found`, 'NOT_FOUND');
    });
  }
  return undefined;
}

/**
 * CSP's `_filter` for the one form the broker sends (`id=="identity/accounts/<uuid>"`, optionally
 * with `csp_id==<n>`); any other filter is refused with 400 as an unsupported expression.
 */
function filtered<T extends { id: string; csp_id: number }>(all: T[], filter: string | null): T[] {
  if (filter === null || filter.trim() === '') return all;
  const id = /^\s*id\s*==\s*"([^"]+)"\s*$/.exec(filter)?.[1];
  if (id !== undefined) return all.filter((a) => a.id === id);
  const cspId = /^\s*csp_id\s*==\s*(\d+)\s*$/.exec(filter)?.[1];
  if (cspId !== undefined) return all.filter((a) => a.csp_id === Number(cspId));
  throw new HttpError(400, `unsupported _filter expression: ${filter}`, 'INVALID_FILTER');
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
