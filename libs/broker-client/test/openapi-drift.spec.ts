/**
 * The committed client types (`src/generated/broker-api.ts`) must match what openapi-typescript
 * makes of the running API's `/v1/openapi.json`. Fails when the API changed and the client was not
 * regenerated; `npm run generate:client` (this test with BROKER_CLIENT_UPDATE=1) rewrites the file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiTestApp } from '@broker/broker-api/testing';

const GENERATED = join(__dirname, '..', 'src', 'generated', 'broker-api.ts');
const GENERATOR = join(
  __dirname,
  '..',
  '..',
  '..',
  'node_modules',
  'openapi-typescript',
  'bin',
  'cli.js',
);
const HEADER =
  "// Generated from the broker API's /v1/openapi.json by openapi-typescript.\n" +
  '// Do not edit: run `npm run generate:client` after changing the API.\n';

async function liveDocument(): Promise<string> {
  const api = await startApiTestApp();
  try {
    const res = await api.app.getHttpAdapter().getInstance().inject({ url: '/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    return res.body;
  } finally {
    await api.close();
  }
}

/** openapi-typescript is ESM-only: run its CLI in a child process rather than inside Jest. */
function generate(document: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'broker-client-'));
  try {
    const input = join(dir, 'openapi.json');
    const output = join(dir, 'broker-api.ts');
    writeFileSync(input, document);
    const run = spawnSync(process.execPath, [GENERATOR, input, '-o', output, '--alphabetize'], {
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`openapi-typescript failed: ${run.stderr}`);
    return HEADER + readFileSync(output, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('generated client types', () => {
  it('match the running API (regenerate with `npm run generate:client`)', async () => {
    const fresh = generate(await liveDocument());
    if (process.env['BROKER_CLIENT_UPDATE'] === '1') writeFileSync(GENERATED, fresh);
    const committed = readFileSync(GENERATED, 'utf8');
    // A plain equality: the diff Jest prints names the paths/schemas that moved.
    expect(committed).toBe(fresh);
  }, 60_000);
});
