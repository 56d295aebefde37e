/**
 * The callers of the broker: lab scripts (track), operators (admin) and read-only operators
 * (viewer, e.g. instructors: every admin GET, never a state-changing admin call). Kept separate.
 */
export const Role = {
  Track: 'track',
  Admin: 'admin',
  Viewer: 'viewer',
} as const;

export type Role = (typeof Role)[keyof typeof Role];

export const ALL_ROLES: readonly Role[] = Object.values(Role);

/** Who made the request: the role and the configured name of the token used — never the token. */
export interface Principal {
  readonly role: Role;
  readonly tokenName: string;
  /** Track slugs a bound track token may serve (BROKER_TRACK_TOKEN_TRACKS); absent: any. */
  readonly tracks?: readonly string[];
}
