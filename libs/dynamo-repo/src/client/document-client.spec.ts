import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  createDocumentClient,
  HOT_PATH_DROPPED_MIDDLEWARE,
  lowLevelClientOf,
} from './document-client';

describe('createDocumentClient', () => {
  it('pairs the DocumentClient with a low-level client on the same sockets, middleware cached', () => {
    const document = createDocumentClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
    const lowLevel = lowLevelClientOf(document);
    expect(lowLevel).not.toBe(document);
    expect(lowLevel.config.cacheMiddleware).toBe(true);
    expect(lowLevel.config.requestHandler).toBe(document.config.requestHandler);
    document.destroy();
  });

  it('drops the SDK logger middleware from both clients', () => {
    const document = createDocumentClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
    const names = (client: { middlewareStack: { identify(): string[] } }) =>
      client.middlewareStack.identify().join(' ');
    expect(names(document)).not.toContain('loggerMiddleware');
    expect(names(lowLevelClientOf(document))).not.toContain('loggerMiddleware');
    expect(names(lowLevelClientOf(document))).toContain('httpSigningMiddleware');
    document.destroy();
  });

  it('keeps signing and retries but drops user agent and recursion detection on the hot path', () => {
    const document = createDocumentClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' });
    const hot = lowLevelClientOf(document).middlewareStack.identify().join(' ');
    for (const name of HOT_PATH_DROPPED_MIDDLEWARE) {
      expect(hot).not.toContain(name);
      expect(document.middlewareStack.identify().join(' ')).toContain(name);
    }
    expect(hot).toContain('retryMiddleware');
    expect(hot).toContain('httpSigningMiddleware');
    expect(hot).toContain('hostHeaderMiddleware');
    document.destroy();
  });

  it('falls back to the DocumentClient itself for one built elsewhere', () => {
    const foreign = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9' }),
    );
    expect(lowLevelClientOf(foreign)).toBe(foreign);
    foreign.destroy();
  });
});
