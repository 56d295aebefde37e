import { encodeCursor } from '@broker/domain';
import { TRACK_TOKEN } from './api-test-app';
import { type Endpoint, TOKEN_OF, validHeaders } from './endpoints';

/**
 * Header lines of requests that send one single-valued header twice (the rest of the endpoint's
 * valid headers once): `[header, lines]`. The Host repeat comes on top of the raw client's own.
 */
export function repeatedHeaderRequests(e: Endpoint): [string, string[]][] {
  const token = e.auth === 'public' ? TRACK_TOKEN : TOKEN_OF[e.auth];
  const valid = Object.entries(validHeaders(e));
  const requests: [string, string[]][] = (
    [
      ['Authorization', `Bearer ${token}`],
      ['X-Request-ID', 'req-1'],
      ['X-Instruqt-Sandbox-ID', 'stu-A'],
      ['X-Track-ID', 'stu-A'],
      ['X-Instruqt-Track-ID', 'lab'],
      ['X-Sandbox-Name-Prefix', 'lab-'],
      ['Idempotency-Key', 'key-1'],
      ['Content-Type', 'application/json'],
      ['Origin', 'http://127.0.0.1'],
    ] as const
  ).map(([header, value]) => [
    header,
    [
      ...valid
        .filter(([name]) => name.toLowerCase() !== header.toLowerCase())
        .map(([name, v]) => `${name}: ${v}`),
      `${header}: ${value}`,
      `${header.toLowerCase()}: ${value}-2`,
    ],
  ]);
  requests.push(['Host', [...valid.map(([n, v]) => `${n}: ${v}`), 'Host: b']]);
  return requests;
}

/**
 * Well-formed cursors (base64url JSON of the right envelope) the server never issued, for a
 * listing whose unfiltered cursors carry `filter`: `[label, cursor]`.
 */
export function forgedCursors(filter: string): [string, string][] {
  const f = filter;
  const key = (sk: string, pk = 'SBX#4711') => ({
    PK: pk,
    SK: 'META',
    status_pk: 'available#00',
    status_sk: sk,
  });
  const inner = (k: unknown) => encodeCursor('available|', { s: 0, k });
  return [
    ['position out of range', encodeCursor(f, { s: 99, i: null })],
    ['position negative', encodeCursor(f, { s: -1, i: null })],
    ['another filter', encodeCursor('status|deleted|', { s: 0, i: null })],
    [
      'version 2',
      Buffer.from(JSON.stringify({ v: 2, f, p: { s: 0, i: null } })).toString('base64url'),
    ],
    ['position an array', encodeCursor(f, [0, 1])],
    ['empty key value', encodeCursor(f, { s: 0, i: inner(key('')) })],
    ['oversized key value', encodeCursor(f, { s: 0, i: inner(key('z'.repeat(1500))) })],
    ['empty partition key', encodeCursor(f, { s: 0, i: inner(key('a', '')) })],
    [
      'key of another partition',
      encodeCursor(f, { s: 0, i: inner({ ...key('a'), status_pk: 'deleted#00' }) }),
    ],
    ['extra key attributes', encodeCursor(f, { s: 0, i: inner({ ...key('a'), x: 'y' }) })],
    ['event id of another shape', encodeCursor(f, 'not-an-event-id')],
    ['nested deep', encodeCursor(f, JSON.parse('['.repeat(500) + ']'.repeat(500)) as unknown)],
  ];
}
