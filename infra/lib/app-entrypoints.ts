/**
 * What the one container image runs, relative to its working directory (/app). The Dockerfile's
 * default CMD, docker-compose.yml and the ECS task definitions all name these files; a test checks
 * each one is the build output of a real app (`src/main.ts` compiled by `tsconfig.app.json`).
 */
export const APP_ENTRYPOINTS = {
  api: 'apps/broker-api/dist/main.js',
  worker: 'apps/broker-worker/dist/main.js',
  simulator: 'apps/csp-simulator/dist/main.js',
} as const;

export const API_PORT = 8080;
export const WORKER_PORT = 9464;
export const SIMULATOR_PORT = 8090;

/**
 * A container health check that needs nothing but node (no curl in the image): GET /healthz on
 * loopback, exit 0 only on a 2xx within 4 s.
 */
export function healthCheckScript(port: number): string {
  return (
    `fetch('http://127.0.0.1:${port}/healthz',{signal:AbortSignal.timeout(4000)})` +
    '.then(r=>process.exit(r.ok?0:1),()=>process.exit(1))'
  );
}
