#!/usr/bin/env node
// Bundles the CLI and everything it imports (commander, openapi-fetch, @broker/client) into one
// CommonJS file that runs with nothing but Node 20+: apps/broker-cli/dist/sandbox-broker.cjs.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
export const outfile = join(root, 'dist', 'sandbox-broker.cjs');

await build({
  entryPoints: [join(root, 'src', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Workspace libs resolve to their TypeScript sources (no lib build needed first).
  conditions: ['@broker/source'],
  minify: false,
  sourcemap: false,
  legalComments: 'eof',
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
console.log(`built ${outfile}`);
