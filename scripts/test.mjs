#!/usr/bin/env node
// `npm test`: format check, lint and typecheck of every project, then every Jest project
// (unit, integration against real engines, e2e, infra), then the benchmark's correctness smoke.
// Runs all stages, then fails if any failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { summarize } from './jest-summary.mjs';

const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_SKIP_NX_CACHE: process.env.CI ? 'true' : process.env.NX_SKIP_NX_CACHE,
};
const run = (label, cmd, args) => {
  process.stdout.write(`\n=== ${label}: ${cmd} ${args.join(' ')}\n`);
  return spawnSync(cmd, args, { stdio: 'inherit', env }).status === 0;
};

rmSync('tmp/jest-results', { recursive: true, force: true });
mkdirSync('tmp/jest-results', { recursive: true });
const stages = [
  ['format', 'npx', ['prettier', '--check', '--log-level', 'warn', '.']],
  ['lint+typecheck', 'npx', ['nx', 'run-many', '-t', 'lint', 'typecheck', '--output-style=stream']],
  ['tests', 'npx', ['nx', 'run-many', '-t', 'test', '--parallel=1', '--output-style=stream']],
  // Production build + the allocation benchmark's correctness smoke (< 1 min after the build):
  // fails on a double allocation, a student with two sandboxes or a false 409; no speed checks.
  ['bench smoke', 'npm', ['run', 'bench', '--', '--smoke']],
];
const failedStages = stages.filter(([label, cmd, args]) => !run(label, cmd, args)).map(([l]) => l);

const { passed, failed } = summarize('tmp/jest-results');
if (failedStages.length) console.log(`\nFailed stages: ${failedStages.join(', ')}`);
console.log(`\njest: ${passed} passed, ${failed} failed`);
process.exit(failedStages.length || failed ? 1 : 0);
