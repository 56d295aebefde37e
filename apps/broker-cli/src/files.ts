import type { SandboxView } from '@broker/client';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The files the original allocation script wrote (reference §5.8), same names and meanings. */
export const FILES = {
  /** The broker's sandbox id (the CSP numeric id): what release and status send. */
  subtenantId: 'subtenant_id.txt',
  /** The CSP account UUID: external_id without the `identity/accounts/` prefix. */
  externalId: 'external_id.txt',
  /** The UUID again (user provisioning reads it to switch account). */
  sandboxId: 'sandbox_id.txt',
  sandboxName: 'sandbox_name.txt',
  /** Salesforce account id; empty when the broker has none. */
  sfdcAccountId: 'sfdc_account_id.txt',
  env: 'sandbox_env.sh',
} as const;

export const accountUuid = (externalId: string) => externalId.replace(/^identity\/accounts\//, '');

/** Single-quoted for sh: safe whatever the value holds. */
const shQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export async function writeSandboxFiles(dir: string, sandbox: SandboxView): Promise<string[]> {
  const uuid = accountUuid(sandbox.external_id);
  const sfdc = sandbox.sfdc_account_id ?? '';
  const env = [
    '# Written by sandbox-broker allocate; source it: . ./sandbox_env.sh',
    `export STUDENT_TENANT=${shQuote(sandbox.name)}`,
    `export CSP_ACCOUNT_ID=${shQuote(uuid)}`,
    `export BROKER_SANDBOX_ID=${shQuote(sandbox.sandbox_id)}`,
    `export SFDC_ACCOUNT_ID=${shQuote(sfdc)}`,
    '',
  ].join('\n');
  const contents: [string, string][] = [
    [FILES.subtenantId, sandbox.sandbox_id],
    [FILES.externalId, uuid],
    [FILES.sandboxId, uuid],
    [FILES.sandboxName, sandbox.name],
    [FILES.sfdcAccountId, sfdc],
    [FILES.env, env],
  ];
  await mkdir(dir, { recursive: true });
  for (const [name, text] of contents)
    await writeFile(join(dir, name), text.endsWith('\n') ? text : `${text}\n`);
  return contents.map(([name]) => join(dir, name));
}

/**
 * The broker id written by `allocate`: `subtenant_id.txt` (as the original deallocation script
 * read it), else `sandbox_id.txt` (the older `examples/` scripts kept the broker id there).
 * Null when neither exists or both are empty.
 */
export async function readSandboxId(dir: string): Promise<{ id: string; file: string } | null> {
  for (const name of [FILES.subtenantId, FILES.sandboxId]) {
    const file = join(dir, name);
    const text = await readFile(file, 'utf8').catch(() => '');
    const id = text.trim();
    if (id) return { id, file };
  }
  return null;
}
