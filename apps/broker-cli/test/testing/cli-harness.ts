import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { join } from 'node:path';

const APP_ROOT = join(__dirname, '..', '..');

/** Builds the bundle and copies it into a temp dir with no node_modules anywhere above it. */
export async function bundledCli(): Promise<string> {
  await promisify(execFile)(process.execPath, [join(APP_ROOT, 'esbuild.mjs')]);
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-broker-bin-'));
  const file = join(dir, 'sandbox-broker.cjs');
  copyFileSync(join(APP_ROOT, 'dist', 'sandbox-broker.cjs'), file);
  return file;
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node <bundle> ...args` in `cwd` with only PATH plus `env` (asynchronously: the API is in this process). */
export function runBundle(
  bundle: string,
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, ...args], {
      cwd,
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export type Fault = { status: number; headers?: Record<string, string> };

/**
 * An HTTP proxy in front of the API that answers the next queued faults itself (problem+json)
 * and forwards everything else to `target` (which a broker restart may change).
 */
export interface FaultProxy {
  readonly url: string;
  target: string;
  readonly faults: Fault[];
  /** Requests seen (faulted and forwarded). */
  seen: number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const proxy: { target: string; faults: Fault[]; seen: number } = { target, faults: [], seen: 0 };
  const server: Server = createServer((req, res) => {
    proxy.seen++;
    const fault = proxy.faults.shift();
    if (fault) {
      req.resume();
      res.writeHead(fault.status, { 'content-type': 'application/problem+json', ...fault.headers });
      res.end(
        JSON.stringify({
          type: 'about:blank',
          title: 'injected',
          status: fault.status,
          detail: `injected ${fault.status}`,
          code: fault.status === 429 ? 'RATE_LIMIT_EXCEEDED' : 'INJECTED_FAULT',
          request_id: `proxy-${proxy.seen}`,
        }),
      );
      return;
    }
    const upstream = new URL(req.url ?? '/', proxy.target);
    const forward = request(
      upstream,
      { method: req.method, headers: { ...req.headers, host: upstream.host } },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(proxy, {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  });
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
