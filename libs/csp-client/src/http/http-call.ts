/** A provider answer, body already read (so the connection goes back to the pool). */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/** No answer: the timeout fired or the connection failed. */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly kind: 'timeout' | 'network-error',
    message: string,
  ) {
    super(message);
  }
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
}

function causeOf(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message ?? String(err);
}

/** One HTTP exchange with a hard deadline covering headers and body. */
export async function httpCall(req: HttpRequest): Promise<HttpResponse> {
  const signal = AbortSignal.timeout(req.timeoutMs);
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  let payload: string | undefined;
  if (req.body !== undefined) {
    payload = JSON.stringify(req.body);
    headers['content-type'] = 'application/json';
  }
  try {
    const res = await fetch(req.url, {
      method: req.method,
      headers,
      ...(payload !== undefined ? { body: payload } : {}),
      signal,
    });
    const body = await res.text();
    return { status: res.status, headers: res.headers, body };
  } catch (err) {
    if (signal.aborted) {
      throw new TransportError('timeout', `timed out after ${req.timeoutMs} ms`);
    }
    throw new TransportError('network-error', `network error: ${causeOf(err)}`);
  }
}

/** JSON body or undefined; never throws (an HTML page where JSON was expected is common). */
export function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
