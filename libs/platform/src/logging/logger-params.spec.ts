import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import pino, { type LoggerOptions } from 'pino';
import type { AutoLoggingOptions } from 'pino-http';
import { createLoggerParams, scrubbingDestination } from './logger-params';

/** A pino logger writing through the same scrubbing destination the apps use. */
function capture(options: LoggerOptions): { logger: pino.Logger; lines: () => unknown[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = pino(options, scrubbingDestination({ write: (line) => stream.write(line) }, []));
  return { logger, lines: () => chunks.map((c) => JSON.parse(c) as unknown) };
}

describe('createLoggerParams', () => {
  const params = createLoggerParams({
    level: 'info',
    service: 'test-svc',
    quietPaths: ['/healthz', '/readyz', '/metrics'],
  });
  const http = params.pinoHttp as LoggerOptions & {
    autoLogging: AutoLoggingOptions;
    quietReqLogger: boolean;
    customAttributeKeys: unknown;
  };

  it('redacts credentials at several depths', () => {
    const { logger, lines } = capture({ redact: http.redact! });
    logger.info(
      {
        req: { headers: { authorization: 'Bearer s3cret', cookie: 'sid=1', host: 'h' } },
        token: { value: 't1' },
        config: {
          password: 'p1',
          nested: { secret: 's1', apiKey: 'k1', deeper: { client_secret: 'c"1\\', pin: 42 } },
          list: [{ access_token: 'a1' }, { refresh_token: 1234 }],
        },
      },
      'hello',
    );
    const line = JSON.stringify(lines()[0]);
    for (const value of ['s3cret', 'sid=1', 't1', 'p1', 's1', 'k1', 'c\\"1', 'a1', '1234']) {
      expect(line).not.toContain(value);
    }
    expect(line).toContain('"host":"h"');
    expect(line).toContain('"pin":42');
    expect(lines()[0]).toMatchObject({
      token: '[redacted]',
      config: {
        nested: { secret: '[redacted]', deeper: { client_secret: '[redacted]', pin: 42 } },
        list: [{ access_token: '[redacted]' }, { refresh_token: '[redacted]' }],
      },
    });
  });

  it('skips health and metrics requests, with or without a query string', () => {
    const ignore = http.autoLogging.ignore!;
    expect(ignore({ url: '/healthz' } as IncomingMessage)).toBe(true);
    expect(ignore({ url: '/metrics?x=1' } as IncomingMessage)).toBe(true);
    expect(ignore({ url: '/v1/allocate' } as IncomingMessage)).toBe(false);
    const rewritten = { url: '/', originalUrl: '/readyz' } as unknown as IncomingMessage;
    expect(ignore(rewritten)).toBe(true);
  });

  it('logs one lean line per request, keyed by request_id', () => {
    expect(http.quietReqLogger).toBe(true);
    expect(http.base).toEqual({ service: 'test-svc' });
    expect(http.customAttributeKeys).toEqual({ reqId: 'request_id' });
  });
});

describe('scrubbingDestination', () => {
  it('rewrites configured secrets, raw and JSON-escaped, and leaves other lines alone', () => {
    const lines: string[] = [];
    const stream = scrubbingDestination({ write: (line: string) => lines.push(line) }, [
      'tok-123456',
      'pa"ss\\word',
      'abc',
    ]);
    stream.write('{"msg":"upstream said tok-123456 twice: tok-123456"}\n');
    stream.write(`{"err":${JSON.stringify('bad pa"ss\\word')}}\n`);
    stream.write('{"msg":"abc is too short to scrub"}\n');
    expect(lines).toEqual([
      '{"msg":"upstream said [redacted] twice: [redacted]"}\n',
      '{"err":"bad [redacted]"}\n',
      '{"msg":"abc is too short to scrub"}\n',
    ]);
  });
});
