const MAX_REASON = 300;

/** Credentials of the clients in this process: never part of a failure reason (logs). */
const secrets = new Set<string>();
const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/g;

/**
 * Registers a credential (API token, password) that must never appear in a reason, even when an
 * upstream error page echoes the request. Called by HttpCspClient for its configured secrets.
 */
export function registerSecret(value: string | undefined): void {
  if (value !== undefined && value.length >= 4) secrets.add(value);
}

/** Stops redacting a credential that is no longer in use (e.g. a generated password once set). */
export function forgetSecret(value: string | undefined): void {
  if (value !== undefined) secrets.delete(value);
}

function redact(text: string): string {
  let out = text.replace(JWT, '***');
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}

function clip(text: string): string {
  const flat = redact(text).replace(/\s+/g, ' ').trim();
  return flat.length > MAX_REASON ? `${flat.slice(0, MAX_REASON - 1)}…` : flat;
}

function messageOf(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (Array.isArray(value)) return messageOf(value[0]);
  if (typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    return (
      messageOf(v['message']) ??
      messageOf(v['detail']) ??
      messageOf(v['error']) ??
      messageOf(v['errors']) ??
      messageOf(v['title'])
    );
  }
  return undefined;
}

/**
 * A short, readable reason for a failed response: the JSON error message when there is one,
 * the title/heading of an HTML error page (CSP and proxies send those), else the text itself.
 * Never throws on a body that is not what its content type claims.
 */
export function describeHttpFailure(
  status: number,
  contentType: string | null,
  body: string,
): string {
  const prefix = `HTTP ${status}`;
  const text = body.trim();
  if (text === '') return prefix;
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      const message = messageOf(JSON.parse(text));
      if (message) return `${prefix}: ${clip(message)}`;
    } catch {
      // fall through: report the raw text
    }
  }
  if ((contentType ?? '').includes('html') || /^<(!doctype|html)/i.test(text)) {
    const title =
      /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1] ?? /<h1[^>]*>([^<]*)<\/h1>/i.exec(text)?.[1];
    const summary = title?.trim() || text.replace(/<[^>]*>/g, ' ');
    return `${prefix} (HTML error page): ${clip(summary)}`;
  }
  return `${prefix}: ${clip(text)}`;
}
