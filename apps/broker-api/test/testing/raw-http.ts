import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** Parses one HTTP/1.1 answer (status line, headers, body) read off a socket. */
export function parseRawResponse(raw: string): RawResponse {
  const [head = '', ...rest] = raw.split('\r\n\r\n');
  const [statusLine = '', ...headerLines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, text: rest.join('\r\n\r\n') };
}

/**
 * One request over a plain socket to 127.0.0.1: bytes Node's HTTP client refuses to send
 * (control characters, repeated headers in a chosen order). Sends `Host` and
 * `Connection: close` first unless `lines` replace them (`bare`).
 */
export function sendRaw(
  port: number,
  method: string,
  path: string,
  lines: readonly string[],
  options: { body?: string; bare?: boolean } = {},
): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => resolve(parseRawResponse(Buffer.concat(chunks).toString('latin1'))));
    const preamble = options.bare ? '' : 'Host: 127.0.0.1\r\nConnection: close\r\n';
    socket.write(
      Buffer.from(
        `${method} ${path} HTTP/1.1\r\n${preamble}` +
          lines.map((l) => `${l}\r\n`).join('') +
          '\r\n' +
          (options.body ?? ''),
        'latin1',
      ),
    );
  });
}
