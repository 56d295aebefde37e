/**
 * The provider account id (`identity/accounts/<uuid>`, `external_id` on the wire) as old lab
 * scripts send it back: the bare UUID or the full path. The original's scripts write the UUID into
 * `sandbox_id.txt` and release with it, so the broker also resolves sandboxes by it.
 */
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const ACCOUNT_REF = new RegExp(`^(?:identity/accounts/)?(${UUID})$`);
const FULL_ACCOUNT_PATH = new RegExp(`^identity/accounts/${UUID}$`);

/**
 * The lookup key of a provider account id: its UUID, lower case; `null` when `value` is neither
 * `<uuid>` nor `identity/accounts/<uuid>`.
 */
export function externalAccountKey(value: string): string | null {
  const match = ACCOUNT_REF.exec(value);
  return match?.[1] ? match[1].toLowerCase() : null;
}

/** `identity/accounts/<uuid>`: can only be a provider account id, never a broker sandbox id. */
export function isFullAccountPath(value: string): boolean {
  return FULL_ACCOUNT_PATH.test(value);
}
