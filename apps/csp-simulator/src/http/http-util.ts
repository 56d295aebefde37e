import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 1024 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = 'BAD_REQUEST',
  ) {
    super(message);
  }
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large', 'TOO_LARGE');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, 'request body is not valid JSON', 'INVALID_JSON');
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.writableEnded || res.destroyed) return;
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const payload = JSON.stringify(body);
  res
    .writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(payload),
      ...headers,
    })
    .end(payload);
}

/** JSON error in a CSP-like shape. */
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  code: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { error: { status, code, message } }, headers);
}

/** An HTML error page, as a proxy or a failing CSP back end sends instead of JSON. */
export function sendHtml(
  res: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
): void {
  if (res.writableEnded || res.destroyed) return;
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  if (status === 204) {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end();
    return;
  }
  const page =
    `<!DOCTYPE html>\n<html><head><title>${title}</title></head>\n` +
    `<body><center><h1>${title}</h1></center><hr><center>csp-simulator</center></body></html>\n`;
  res
    .writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(page),
      ...headers,
    })
    .end(page);
}

export function bearer(req: IncomingMessage, scheme: 'Token' | 'Bearer'): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const [given, value] = header.split(' ', 2);
  if (!given || given.toLowerCase() !== scheme.toLowerCase() || !value) return undefined;
  return value.trim();
}
