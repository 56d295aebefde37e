import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as ts from 'typescript';
import { APP_ENTRYPOINTS } from '../lib/app-entrypoints';

const repoRoot = resolve(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(repoRoot, file), 'utf8');

interface Instruction {
  readonly keyword: string;
  readonly args: string;
}

/** Dockerfile instructions with line continuations joined and comments dropped. */
function parseDockerfile(text: string): Instruction[][] {
  const logical = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const stages: Instruction[][] = [];
  for (const line of logical) {
    const match = /^(\w+)\s+(.*)$/.exec(line);
    if (!match) throw new Error(`unparsable Dockerfile line: ${line}`);
    const instruction = { keyword: match[1]!.toUpperCase(), args: match[2]! };
    if (instruction.keyword === 'FROM') stages.push([]);
    if (instruction.keyword === 'ARG' && stages.length === 0) continue; // global build args
    const current = stages[stages.length - 1];
    if (!current) throw new Error(`instruction before the first FROM: ${line}`);
    current.push(instruction);
  }
  return stages;
}

/** The app output files a text names (`apps/<name>/dist/main.js`). */
function entrypointsIn(text: string): string[] {
  return [...new Set(text.match(/apps\/[a-z0-9-]+\/dist\/main\.js/g) ?? [])];
}

/**
 * The build will emit `apps/<name>/dist/main.js` only if `npm run build` builds the project's
 * tsconfig.app.json and that compiles `src/main.ts` with rootDir src and outDir dist.
 */
function expectBuildOutput(entrypoint: string): void {
  const projectDir = join(repoRoot, entrypoint.split('/').slice(0, 2).join('/'));
  const configPath = join(projectDir, 'tsconfig.app.json');
  expect({ entrypoint, tsconfigAppExists: existsSync(configPath) }).toEqual({
    entrypoint,
    tsconfigAppExists: true,
  });
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`cannot parse ${configPath}`);
  // `npm run build` is `tsc -b tsconfig.build.json`: the app must be one of its references.
  const buildConfig = ts.readConfigFile(join(repoRoot, 'tsconfig.build.json'), ts.sys.readFile);
  const references = ((buildConfig.config as { references?: { path: string }[] }).references ?? [])
    .map((r) => resolve(repoRoot, r.path))
    .map((p) => (p.endsWith('.json') ? p : join(p, 'tsconfig.json')));
  expect({ entrypoint, builtByNpmRunBuild: references.includes(configPath) }).toEqual({
    entrypoint,
    builtByNpmRunBuild: true,
  });
  const mainTs = join(projectDir, 'src', 'main.ts');
  expect({
    entrypoint,
    rootDir: parsed.options.rootDir,
    outDir: parsed.options.outDir,
    mainTsExists: existsSync(mainTs),
    mainTsCompiled: parsed.fileNames.map((f) => resolve(f)).includes(mainTs),
  }).toEqual({
    entrypoint,
    rootDir: join(projectDir, 'src'),
    outDir: join(projectDir, 'dist'),
    mainTsExists: true,
    mainTsCompiled: true,
  });
}

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = parseDockerfile(dockerfile);
  const runtime = stages[stages.length - 1]!;
  const runtimeArgs = (keyword: string) =>
    runtime.filter((i) => i.keyword === keyword).map((i) => i.args);

  it('is multi-stage: a build stage runs npm ci and the build', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const build = stages.find((s) => s[0]!.args.endsWith(' AS build'));
    expect(build).toBeDefined();
    const runs = build!.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r) && !r.includes('--omit=dev'))).toBe(true);
    expect(runs.some((r) => r.includes('npm run build'))).toBe(true);
  });

  it('installs only production dependencies in the runtime stage', () => {
    expect(runtime[0]!.args).toMatch(/ AS runtime$/);
    expect(runtimeArgs('RUN').some((r) => r.includes('npm ci --omit=dev'))).toBe(true);
    expect(runtimeArgs('COPY').some((c) => c.includes('--from=build'))).toBe(true);
  });

  it('runs the runtime stage as a non-root user', () => {
    const users = runtimeArgs('USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users[users.length - 1]!.split(':')[0]!;
    expect(['root', '0']).not.toContain(user);
    // No instruction after USER switches back.
    const lastUser = runtime.map((i) => i.keyword).lastIndexOf('USER');
    expect(runtime.slice(lastUser + 1).some((i) => i.keyword === 'RUN')).toBe(false);
  });

  it('forwards signals through tini and stops with SIGTERM', () => {
    expect(runtimeArgs('STOPSIGNAL')).toEqual(['SIGTERM']);
    const entrypoint = JSON.parse(runtimeArgs('ENTRYPOINT')[0]!) as string[];
    expect(entrypoint[0]).toMatch(/tini$/);
    expect(runtimeArgs('RUN').some((r) => /apt-get install .*\btini\b/.test(r))).toBe(true);
  });

  it('health-checks /healthz with node (no curl)', () => {
    const [healthcheck] = runtimeArgs('HEALTHCHECK');
    expect(healthcheck).toBeDefined();
    expect(healthcheck).toContain('"node"');
    expect(healthcheck).toContain('/healthz');
    expect(healthcheck).not.toMatch(/curl|wget/);
  });

  it('starts the API by default', () => {
    const cmd = JSON.parse(runtimeArgs('CMD').at(-1)!) as string[];
    expect(cmd).toEqual(['node', APP_ENTRYPOINTS.api]);
  });
});

describe('entrypoints name real build outputs', () => {
  const sources = {
    Dockerfile: entrypointsIn(read('Dockerfile')),
    'docker-compose.yml': entrypointsIn(read('docker-compose.yml')),
    'ECS task definitions': Object.values(APP_ENTRYPOINTS),
  };

  it('covers all three apps', () => {
    expect([...sources['docker-compose.yml']].sort()).toEqual(
      Object.values(APP_ENTRYPOINTS).sort(),
    );
    expect(sources.Dockerfile).toEqual(expect.arrayContaining(Object.values(APP_ENTRYPOINTS)));
  });

  const all = [...new Set(Object.values(sources).flat())].sort();
  it.each(all)('%s is emitted by its project build', (entrypoint) => {
    expectBuildOutput(entrypoint);
  });
});
