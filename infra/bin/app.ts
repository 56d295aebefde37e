import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBrokerApp } from '../lib/broker-app';

/**
 * Synthesises the cloud assembly. Run through the CDK CLI (`cdk.json`: `node dist/bin/app.js`) or
 * directly with node (then cdk.json's context is read here and the output goes to infra/cdk.out).
 */
const infraRoot = join(__dirname, '..', '..');
const cdkJson = join(infraRoot, 'cdk.json');
const fileContext = existsSync(cdkJson)
  ? ((JSON.parse(readFileSync(cdkJson, 'utf8')) as { context?: Record<string, unknown> }).context ??
    {})
  : {};

const { app } = createBrokerApp({
  context: fileContext,
  outdir: process.env['CDK_OUTDIR'] ?? join(infraRoot, 'cdk.out'),
});
const assembly = app.synth();
process.stdout.write(
  `Synthesised ${assembly.stacks.map((s) => s.stackName).join(', ')} into ${assembly.directory}\n`,
);
