import { Role } from './roles';

/** One configured token and the name it is known by in logs and metrics. */
export interface NamedToken {
  readonly name: string;
  readonly token: string;
  /** Track slugs this (track) token may serve; absent: any track. */
  readonly tracks?: readonly string[];
}

export interface AuthTokens {
  readonly track: readonly NamedToken[];
  readonly admin: readonly NamedToken[];
  /** Read-only operator tokens (optional: no viewer token is needed anywhere). */
  readonly viewer?: readonly NamedToken[];
}

/** Raw token settings as they come from the environment. */
export interface AuthTokenSettings {
  /** `name:token,name2:token2` — several named track tokens. */
  readonly trackTokens?: string | undefined;
  /** Single track token (name `default`), used only when `trackTokens` is unset. */
  readonly trackToken?: string | undefined;
  readonly adminTokens?: string | undefined;
  readonly adminToken?: string | undefined;
  /** `name:token,…` read-only operator tokens (BROKER_VIEWER_TOKENS). */
  readonly viewerTokens?: string | undefined;
  /** Single viewer token (name `default`), used only when `viewerTokens` is unset. */
  readonly viewerToken?: string | undefined;
  /**
   * `name:slug1|slug2,name2:slug3` — binds named track tokens to the track slugs they may serve.
   * A separate setting keyed by token name, so no existing token list (whose tokens may contain
   * any printable character, `@` and `|` included) changes meaning.
   */
  readonly trackTokenTracks?: string | undefined;
}

const TRACK_SLUG = /^[A-Za-z0-9._-]{1,256}$/;

/** Parses `name:slug1|slug2,…` into name → slugs, reporting every problem (never a token). */
export function parseTrackBindings(
  value: string,
  setting: string,
  trackNames: ReadonlySet<string>,
  problems: string[],
): Map<string, readonly string[]> {
  const bindings = new Map<string, readonly string[]>();
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .forEach((entry, index) => {
      const colon = entry.indexOf(':');
      const name = colon > 0 ? entry.slice(0, colon).trim() : '';
      const slugs =
        colon > 0
          ? entry
              .slice(colon + 1)
              .split('|')
              .map((s) => s.trim())
          : [];
      if (!TOKEN_NAME.test(name) || slugs.length === 0) {
        problems.push(`${setting}: entry ${index + 1} needs name:slug1|slug2`);
      } else if (!trackNames.has(name)) {
        problems.push(`${setting}: '${name}' is not a configured track token name`);
      } else if (bindings.has(name)) {
        problems.push(`${setting}: '${name}' is bound twice; list all its slugs in one entry`);
      } else if (!slugs.every((slug) => TRACK_SLUG.test(slug))) {
        problems.push(`${setting}: '${name}' has a slug outside [A-Za-z0-9._-] (1–256 chars)`);
      } else {
        bindings.set(name, [...new Set(slugs)]);
      }
    });
  return bindings;
}

export const DEV_TOKENS = {
  track: 'dev-track-token',
  admin: 'dev-admin-token',
  viewer: 'dev-viewer-token',
} as const;

/** Minimum token length accepted in production. */
export const MIN_PRODUCTION_TOKEN_LENGTH = 16;

const TOKEN_NAME = /^[A-Za-z0-9._-]{1,64}$/;
const TOKEN_VALUE = /^[\x21-\x7e]+$/;

/** Every problem found in the token settings; messages never contain token values. */
export class AuthConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid authentication settings:\n  - ${problems.join('\n  - ')}`);
    this.name = 'AuthConfigError';
  }
}

/** Parses `name:token,name2:token2`; the token is everything after the first colon. */
export function parseNamedTokens(value: string, setting: string, problems: string[]): NamedToken[] {
  const tokens: NamedToken[] = [];
  value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .forEach((entry, index) => {
      const colon = entry.indexOf(':');
      const name = colon > 0 ? entry.slice(0, colon).trim() : '';
      const token = colon > 0 ? entry.slice(colon + 1).trim() : '';
      if (!TOKEN_NAME.test(name)) {
        problems.push(
          `${setting}: entry ${index + 1} needs a name:token pair ([A-Za-z0-9._-] name)`,
        );
      } else if (!TOKEN_VALUE.test(token)) {
        problems.push(`${setting}: token '${name}' is empty or contains spaces/non-ASCII`);
      } else {
        tokens.push({ name, token });
      }
    });
  return tokens;
}

function resolveRole(
  list: string | undefined,
  single: string | undefined,
  listSetting: string,
  singleSetting: string,
  problems: string[],
): NamedToken[] {
  if (list !== undefined && list.trim() !== '') {
    return parseNamedTokens(list, listSetting, problems);
  }
  const token = single?.trim() ?? '';
  if (token === '') return [];
  if (!TOKEN_VALUE.test(token)) {
    problems.push(`${singleSetting}: token contains spaces or non-ASCII characters`);
    return [];
  }
  return [{ name: 'default', token }];
}

/**
 * Builds the token table for both roles. Names must be unique within a role and a token may
 * belong to one role only (admin tokens do not open track routes and vice versa).
 */
export function resolveAuthTokens(
  settings: AuthTokenSettings,
  names = {
    trackTokens: 'BROKER_TRACK_TOKENS',
    trackToken: 'BROKER_API_TOKEN',
    adminTokens: 'BROKER_ADMIN_TOKENS',
    adminToken: 'BROKER_ADMIN_TOKEN',
    viewerTokens: 'BROKER_VIEWER_TOKENS',
    viewerToken: 'BROKER_VIEWER_TOKEN',
    trackTokenTracks: 'BROKER_TRACK_TOKEN_TRACKS',
  },
): AuthTokens {
  const problems: string[] = [];
  const track = resolveRole(
    settings.trackTokens,
    settings.trackToken,
    names.trackTokens,
    names.trackToken,
    problems,
  );
  const admin = resolveRole(
    settings.adminTokens,
    settings.adminToken,
    names.adminTokens,
    names.adminToken,
    problems,
  );
  const viewer = resolveRole(
    settings.viewerTokens,
    settings.viewerToken,
    names.viewerTokens ?? 'BROKER_VIEWER_TOKENS',
    names.viewerToken ?? 'BROKER_VIEWER_TOKEN',
    problems,
  );
  for (const [role, tokens] of [
    [Role.Track, track],
    [Role.Admin, admin],
    [Role.Viewer, viewer],
  ] as const) {
    const seenNames = new Set<string>();
    const seenTokens = new Set<string>();
    for (const { name, token } of tokens) {
      if (seenNames.has(name)) problems.push(`${role} token name '${name}' is used twice`);
      if (seenTokens.has(token)) problems.push(`${role} token '${name}' repeats another token`);
      seenNames.add(name);
      seenTokens.add(token);
    }
  }
  const adminValues = new Set(admin.map((t) => t.token));
  for (const { name } of track.filter((t) => adminValues.has(t.token))) {
    problems.push(`track token '${name}' is also an admin token; roles need distinct tokens`);
  }
  const otherValues = new Set([...track, ...admin].map((t) => t.token));
  for (const { name } of viewer.filter((t) => otherValues.has(t.token))) {
    problems.push(
      `viewer token '${name}' is also a track or admin token; roles need distinct tokens`,
    );
  }
  const bindings =
    settings.trackTokenTracks !== undefined && settings.trackTokenTracks.trim() !== ''
      ? parseTrackBindings(
          settings.trackTokenTracks,
          names.trackTokenTracks,
          new Set(track.map((t) => t.name)),
          problems,
        )
      : new Map<string, readonly string[]>();
  if (problems.length > 0) throw new AuthConfigError(problems);
  return {
    track: track.map((t) => {
      const tracks = bindings.get(t.name);
      return tracks !== undefined ? { ...t, tracks } : t;
    }),
    admin,
    ...(viewer.length > 0 ? { viewer } : {}),
  };
}

/** Outside production, a role with no configured token gets its well-known dev token. */
export function withDevDefaults(tokens: AuthTokens): AuthTokens {
  return {
    track: tokens.track.length > 0 ? tokens.track : [{ name: 'dev', token: DEV_TOKENS.track }],
    admin: tokens.admin.length > 0 ? tokens.admin : [{ name: 'dev', token: DEV_TOKENS.admin }],
    viewer:
      tokens.viewer !== undefined && tokens.viewer.length > 0
        ? tokens.viewer
        : [{ name: 'dev', token: DEV_TOKENS.viewer }],
  };
}

/**
 * The production gate: refuses dev tokens, roles without any token, and short tokens. Returns the
 * problems (empty when safe) so the caller can report them together with other config errors.
 */
export function productionTokenProblems(tokens: AuthTokens): string[] {
  const problems: string[] = [];
  const devValues = new Set<string>(Object.values(DEV_TOKENS));
  for (const role of [Role.Track, Role.Admin, Role.Viewer] as const) {
    const list = tokens[role] ?? [];
    // Viewer tokens are optional; track and admin tokens are required.
    if (list.length === 0 && role !== Role.Viewer) problems.push(`no ${role} token is configured`);
    for (const { name, token } of list) {
      if (devValues.has(token)) problems.push(`${role} token '${name}' is a dev token`);
      else if (token.length < MIN_PRODUCTION_TOKEN_LENGTH) {
        problems.push(
          `${role} token '${name}' is shorter than ${MIN_PRODUCTION_TOKEN_LENGTH} characters`,
        );
      }
    }
  }
  return problems;
}
