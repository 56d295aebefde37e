import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  FaultValidationError,
  SIM_OPERATIONS,
  parseFaultSpec,
  type SimOperation,
} from '../faults/faults';
import { peakPerWindow } from '../stats/sim-stats';
import type { NewAccountInput } from '../store/sim-store';
import { HttpError, parseJson, readBody, sendJson } from './http-util';
import type { SimContext } from './provider-routes';

export const ADMIN_PREFIX = '/_sim';

export interface AdminActions {
  reset(): void;
}

/** `/_sim/*`: inspect and steer the simulator (no auth: loopback test tool). */
export async function handleAdmin(
  ctx: SimContext,
  actions: AdminActions,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  const path = url.pathname.replace(/\/+$/, '');
  if (path !== ADMIN_PREFIX && !path.startsWith(`${ADMIN_PREFIX}/`)) return false;
  const sub = path.slice(ADMIN_PREFIX.length);
  const method = req.method ?? 'GET';
  const { store, stats, faults } = ctx;

  if (method === 'GET' && sub === '/health') {
    sendJson(res, 200, { status: 'ok', accounts: store.size });
  } else if (method === 'GET' && sub === '/accounts') {
    sendJson(res, 200, { results: store.dump() });
  } else if (method === 'POST' && sub === '/accounts') {
    const created = addAccounts(ctx, parseJson(await readBody(req)));
    sendJson(res, 201, { results: created });
  } else if (method === 'POST' && /^\/accounts\/[^/]+\/services$/.test(sub)) {
    const uuid = decodeURIComponent(sub.split('/')[2] ?? '');
    const body = parseJson(await readBody(req)) as { name?: unknown } | undefined;
    const name = typeof body?.name === 'string' && body.name !== '' ? body.name : undefined;
    if (!name) throw new HttpError(400, 'body must be {"name": "<service name>"}');
    const service = store.addService(uuid, name);
    if (!service) throw new HttpError(404, `account ${uuid} not found`, 'NOT_FOUND');
    sendJson(res, 201, service);
  } else if (method === 'GET' && /^\/accounts\/[^/]+\/(users|groups)$/.test(sub)) {
    const [, , raw, kind] = sub.split('/');
    const uuid = decodeURIComponent(raw ?? '');
    const results = kind === 'users' ? store.users(uuid) : store.groups(uuid);
    if (!results) throw new HttpError(404, `account ${uuid} not found`, 'NOT_FOUND');
    sendJson(res, 200, { results });
  } else if (method === 'GET' && sub === '/stats') {
    sendJson(res, 200, stats.snapshot());
  } else if (method === 'GET' && sub === '/calls') {
    const op = url.searchParams.get('operation') ?? 'delete';
    if (!(SIM_OPERATIONS as readonly string[]).includes(op)) {
      throw new HttpError(400, `operation must be one of ${SIM_OPERATIONS.join('|')}`);
    }
    const arrivals = stats.arrivalsOf(op as SimOperation);
    sendJson(res, 200, { operation: op, arrivals, peak_per_second: peakPerWindow(arrivals) });
  } else if (method === 'DELETE' && sub === '/stats') {
    stats.reset();
    sendJson(res, 204, undefined);
  } else if (method === 'GET' && sub === '/faults') {
    sendJson(res, 200, { results: faults.list() });
  } else if (method === 'POST' && sub === '/faults') {
    const body = parseJson(await readBody(req));
    const specs = Array.isArray(body) ? body : [body];
    try {
      const added = specs.map((s) => faults.add(parseFaultSpec(s)));
      sendJson(res, 201, Array.isArray(body) ? { results: added } : added[0]);
    } catch (err) {
      if (err instanceof FaultValidationError)
        throw new HttpError(400, err.message, 'INVALID_FAULT');
      throw err;
    }
  } else if (method === 'DELETE' && sub === '/faults') {
    faults.clear();
    sendJson(res, 204, undefined);
  } else if (method === 'DELETE' && sub.startsWith('/faults/')) {
    const removed = faults.remove(decodeURIComponent(sub.slice('/faults/'.length)));
    if (!removed) throw new HttpError(404, 'no such fault', 'NOT_FOUND');
    sendJson(res, 204, undefined);
  } else if (method === 'POST' && sub === '/reset') {
    actions.reset();
    sendJson(res, 200, { status: 'reset', accounts: store.size });
  } else {
    throw new HttpError(404, `no simulator route ${method} ${path}`, 'NOT_FOUND');
  }
  return true;
}

/** `{count, prefix?}` generates accounts; `{accounts: [...]}` or a bare array adds explicit ones. */
function addAccounts(ctx: SimContext, body: unknown): unknown[] {
  if (Array.isArray(body)) return ctx.store.add(body.map(toAccountInput));
  if (typeof body !== 'object' || body === null) {
    throw new HttpError(400, 'body must be {"count": n, "prefix"?: s} or {"accounts": [...]}');
  }
  const b = body as Record<string, unknown>;
  if (Array.isArray(b['accounts'])) return ctx.store.add(b['accounts'].map(toAccountInput));
  const count = b['count'];
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > 100_000) {
    throw new HttpError(400, 'count must be an integer between 1 and 100000');
  }
  const prefix = typeof b['prefix'] === 'string' ? b['prefix'] : ctx.config.namePrefix;
  return ctx.store.addGenerated(count, prefix);
}

function toAccountInput(raw: unknown): NewAccountInput {
  if (typeof raw !== 'object' || raw === null)
    throw new HttpError(400, 'each account must be an object');
  const r = raw as Record<string, unknown>;
  const input: NewAccountInput = {};
  const str = (key: Exclude<keyof NewAccountInput, 'csp_id'>): void => {
    const v = r[key];
    if (v === undefined) return;
    if (typeof v !== 'string') throw new HttpError(400, `account.${key} must be a string`);
    (input as Record<string, unknown>)[key] = v;
  };
  str('name');
  str('id');
  str('account_type');
  str('state');
  str('created_at');
  str('sfdc_account_id');
  const cspId = r['csp_id'];
  if (cspId !== undefined) {
    if (typeof cspId !== 'number' || !Number.isInteger(cspId) || cspId < 1) {
      throw new HttpError(400, 'account.csp_id must be a positive integer');
    }
    input.csp_id = cspId;
  }
  return input;
}
