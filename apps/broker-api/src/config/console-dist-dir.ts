import { isAbsolute, resolve } from 'node:path';

/**
 * Where the built console SPA is: CONSOLE_DIST_DIR (relative to the working directory), else
 * `apps/broker-console/dist` next to this app — the same relative place from `src/config`
 * (tests), `dist/config` (npm start) and the container's `/app/apps/broker-api/dist/config`.
 */
export function resolveConsoleDistDir(setting: string | undefined): string {
  const value = setting?.trim() ?? '';
  if (value !== '') return isAbsolute(value) ? value : resolve(process.cwd(), value);
  return resolve(__dirname, '../../../broker-console/dist');
}
