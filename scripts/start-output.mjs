// What `npm start` shows a person: short progress lines while it builds and starts, the
// children's own logs kept in files (.data/logs/<name>.log, JSON lines), and a banner printed
// last that stays on screen. START_LOGS=inherit shows the children's logs inline instead.
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One progress line. */
export function log(message) {
  process.stdout.write(`[start] ${message}\n`);
}

/** Where the children's output goes: a log file per child, or this terminal. */
export function childOutput(root, name) {
  if (process.env.START_LOGS === 'inherit') return { stdio: 'inherit', file: null, close() {} };
  const dir = join(root, '.data', 'logs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.log`);
  const fd = openSync(file, 'w');
  return { stdio: fd, file, close: () => closeSync(fd) };
}

/** The last `lines` lines of a child's log (shown when it fails to start). */
export function tailOf(file, lines = 25) {
  if (file === null) return '';
  try {
    const text = readFileSync(file, 'utf8').trimEnd().split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * The banner: every URL and the dev tokens, printed after everything is ready and nothing
 * after it (the children write to their log files).
 */
export function banner(b) {
  const rel = (path) => relative(b.root, path);
  const lines = [
    '',
    '──────────────────────────────────────────────────────────────────────────────',
    ' Sandbox Broker is running',
    '──────────────────────────────────────────────────────────────────────────────',
    `  Console      ${b.apiUrl}/console/   (sign in with the admin or viewer token)`,
    `  API          ${b.apiUrl}/v1`,
    `  Swagger UI   ${b.apiUrl}/v1/docs   (OpenAPI: ${b.apiUrl}/v1/openapi.json)`,
    `  Health       ${b.apiUrl}/healthz   ${b.apiUrl}/readyz   metrics ${b.apiUrl}/metrics`,
    `  Worker       ${b.workerUrl}/healthz   ${b.workerUrl}/readyz   ${b.workerUrl}/metrics`,
    `  CSP sim      ${b.simUrl}/v2  (admin: ${b.simUrl}/_sim/stats, ${b.simUrl}/_sim/accounts)`,
    `  DynamoDB     dynalite ${b.ddbEndpoint}, table ${b.tableName}, data in ${rel(b.dataDir)}/`,
    `  Demo pool    ${b.pool}`,
    '',
    `  Admin token  ${b.tokens.admin}`,
    `  Viewer token ${b.tokens.viewer}   (read-only console)`,
    `  Track token  ${b.tokens.track}`,
    '',
    b.logsDir
      ? `  Logs         ${rel(b.logsDir)}/{broker-api,broker-worker,csp-simulator,dynalite}.log`
      : '  Logs         shown above (START_LOGS=inherit)',
    '',
    'Try it:',
    `  curl -sS -X POST ${b.apiUrl}/v1/allocate \\`,
    `    -H 'Authorization: Bearer ${b.curlToken}' \\`,
    `    -H 'X-Instruqt-Sandbox-ID: student-1' -H 'X-Instruqt-Track-ID: demo-lab' \\`,
    `    -H 'X-Sandbox-Name-Prefix: lab-demo-'`,
    `  curl -sS ${b.apiUrl}/v1/sandboxes/<sandbox_id> -H 'Authorization: Bearer ${b.curlToken}' -H 'X-Instruqt-Sandbox-ID: student-1'`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}
