import {
  AuthConfigError,
  DEV_TOKENS,
  parseNamedTokens,
  productionTokenProblems,
  resolveAuthTokens,
  withDevDefaults,
} from './token-config';

describe('token configuration', () => {
  it('parses named tokens; the token is everything after the first colon', () => {
    const problems: string[] = [];
    expect(parseNamedTokens(' ci:abc:def , lab-1:xyz,,', 'X', problems)).toEqual([
      { name: 'ci', token: 'abc:def' },
      { name: 'lab-1', token: 'xyz' },
    ]);
    expect(problems).toEqual([]);
  });

  it('prefers the named list and falls back to the single token named "default"', () => {
    expect(resolveAuthTokens({ trackTokens: 'a:one', trackToken: 'ignored' }).track).toEqual([
      { name: 'a', token: 'one' },
    ]);
    expect(resolveAuthTokens({ adminToken: ' solo ' }).admin).toEqual([
      { name: 'default', token: 'solo' },
    ]);
    expect(resolveAuthTokens({})).toEqual({ track: [], admin: [] });
  });

  it('reports every problem at once and never echoes a token value', () => {
    let error: unknown;
    try {
      resolveAuthTokens({
        trackTokens: 'noname,a:secret-1,a:secret-2,b:secret-1,bad name:x',
        adminTokens: 'root:secret-2',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AuthConfigError);
    const problems = (error as AuthConfigError).problems;
    expect(problems).toEqual([
      'BROKER_TRACK_TOKENS: entry 1 needs a name:token pair ([A-Za-z0-9._-] name)',
      'BROKER_TRACK_TOKENS: entry 5 needs a name:token pair ([A-Za-z0-9._-] name)',
      "track token name 'a' is used twice",
      "track token 'b' repeats another token",
      "track token 'a' is also an admin token; roles need distinct tokens",
    ]);
    expect((error as Error).message).not.toMatch(/secret/);
  });

  it('fills empty roles with dev tokens outside production', () => {
    const tokens = withDevDefaults(resolveAuthTokens({ trackToken: 'mine' }));
    expect(tokens.track).toEqual([{ name: 'default', token: 'mine' }]);
    expect(tokens.admin).toEqual([{ name: 'dev', token: DEV_TOKENS.admin }]);
  });

  it('refuses dev tokens, missing roles and short tokens in production', () => {
    expect(productionTokenProblems(withDevDefaults({ track: [], admin: [] }))).toEqual([
      "track token 'dev' is a dev token",
      "admin token 'dev' is a dev token",
      "viewer token 'dev' is a dev token",
    ]);
    expect(productionTokenProblems({ track: [{ name: 'x', token: 'short' }], admin: [] })).toEqual([
      "track token 'x' is shorter than 16 characters",
      'no admin token is configured',
    ]);
    const strong = { name: 'ok', token: 'a-long-enough-token-1' };
    const strong2 = { name: 'ok', token: 'a-long-enough-token-2' };
    expect(productionTokenProblems({ track: [strong], admin: [strong2] })).toEqual([]);
  });
});

describe('track token bindings (BROKER_TRACK_TOKEN_TRACKS)', () => {
  const trackTokens = 'dns:tok@en|with-0123456789,ipam:ipam-token-0123456789';

  it('binds named track tokens to slugs; tokens containing @ and | keep their meaning', () => {
    const tokens = resolveAuthTokens({ trackTokens, trackTokenTracks: 'dns:dns-lab|dns-lab-2' });
    expect(tokens.track).toEqual([
      { name: 'dns', token: 'tok@en|with-0123456789', tracks: ['dns-lab', 'dns-lab-2'] },
      { name: 'ipam', token: 'ipam-token-0123456789' },
    ]);
    expect(resolveAuthTokens({ trackTokens }).track[0]).toEqual({
      name: 'dns',
      token: 'tok@en|with-0123456789',
    });
  });

  it('reports unknown names, repeats, bad slugs and empty entries together, never a token', () => {
    let error: unknown;
    try {
      resolveAuthTokens({
        trackTokens,
        trackTokenTracks: 'nope:a,dns:a,dns:b,ipam:bad slug,:x',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AuthConfigError);
    const problems = (error as AuthConfigError).problems;
    expect(problems).toEqual([
      "BROKER_TRACK_TOKEN_TRACKS: 'nope' is not a configured track token name",
      "BROKER_TRACK_TOKEN_TRACKS: 'dns' is bound twice; list all its slugs in one entry",
      "BROKER_TRACK_TOKEN_TRACKS: 'ipam' has a slug outside [A-Za-z0-9._-] (1–256 chars)",
      'BROKER_TRACK_TOKEN_TRACKS: entry 5 needs name:slug1|slug2',
    ]);
    expect(problems.join(' ')).not.toContain('0123456789');
  });
});
