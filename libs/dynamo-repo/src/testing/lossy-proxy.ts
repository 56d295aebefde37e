import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What to do with one request, by DynamoDB operation (`UpdateItem`, …) and body: `true` loses the
 * answer (the engine applies the request), `'stall'` never forwards nor answers it (a stalled
 * store), `false` passes it through.
 */
export type DropRule = (operation: string, body: string) => boolean | 'stall';

/** Every request stalls: the store accepts connections and never answers. */
export const stallEverything: DropRule = () => 'stall';

export interface LossyProxy {
  /** Point a client here instead of at the engine. */
  readonly endpoint: string;
  /** Answers the engine gave that the client never received. */
  readonly dropped: number;
  setRule(rule: DropRule): void;
  close(): Promise<void>;
}

/** Loses the answer to the first sending of each request (the SDK's retry then gets through). */
export function firstAttemptOf(operations: readonly string[]): DropRule {
  const seen = new Set<string>();
  return (operation, body) => {
    if (!operations.includes(operation)) return false;
    const key = createHash('sha256').update(body).digest('hex');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

/**
 * An HTTP proxy on 127.0.0.1 in front of a DynamoDB-compatible engine that forwards every request
 * and, where `rule` says so, lets the engine apply it but resets the client's connection instead
 * of passing the answer on: a write applied with its answer lost (tests of issue #12 §3).
 */
export async function startLossyProxy(
  target: string,
  rule: DropRule = () => false,
): Promise<LossyProxy> {
  const upstream = new URL(target);
  let current = rule;
  let dropped = 0;
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const operation =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() ?? '';
      const verdict = current(operation, body.toString('utf8'));
      if (verdict === 'stall') return;
      const answer = await new Promise<{
        status: number;
        headers: IncomingMessage['headers'];
        body: Buffer;
      }>((resolve, reject) => {
        const forward = httpRequest(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: req.method,
            path: req.url,
            headers: { ...req.headers, host: upstream.host },
          },
          (reply) => {
            readAll(reply).then(
              (data) =>
                resolve({ status: reply.statusCode ?? 500, headers: reply.headers, body: data }),
              reject,
            );
          },
        );
        forward.on('error', reject);
        forward.end(body);
      });
      if (verdict) {
        dropped += 1;
        req.socket.destroy();
        return;
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    })().catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get dropped() {
      return dropped;
    },
    setRule: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
