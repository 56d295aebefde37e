import { BrokerProblem } from '@broker/client';
import { cliErrorFrom, EXIT } from './exit-codes';

const http = (status: number, code: string) => new BrokerProblem('http', status, code, code);

describe('exit codes', () => {
  it.each([
    [409, 'NO_SANDBOXES_AVAILABLE', EXIT.POOL_EXHAUSTED],
    [409, 'TRACK_QUOTA_EXCEEDED', EXIT.TRACK_QUOTA_REACHED],
    [409, 'EXTENSION_LIMIT_REACHED', EXIT.LIMIT_REACHED],
    [409, 'SANDBOX_NOT_ALLOCATED', EXIT.FAILED],
  ])('%i %s → exit %i', (status, code, exit) => {
    expect(cliErrorFrom(http(status, code)).exitCode).toBe(exit);
  });

  it('keeps one code per outcome', () => {
    const codes = Object.values(EXIT);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
