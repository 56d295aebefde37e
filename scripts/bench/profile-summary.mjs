#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by package / file area and the
// top functions. Usage: node scripts/bench/profile-summary.mjs <file.cpuprofile> [--top=30]
//   [--per=<count>] (also print µs per unit of work, e.g. per allocation answered).
import { readFileSync } from 'node:fs';

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary.mjs <file.cpuprofile> [--top=30] [--per=N]');
  process.exit(2);
}
const opts = Object.fromEntries(rest.map((a) => a.replace(/^--/, '').split('=')));
const top = Number(opts.top ?? 30);
const per = opts.per ? Number(opts.per) : null;

const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
const deltas = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i += 1) {
  const id = profile.samples[i];
  self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0));
}
const totalUs = [...self.values()].reduce((a, b) => a + b, 0);

/** Where a function lives: an npm package, our code, node internals, or a V8 pseudo-node. */
function areaOf(node) {
  const url = node.callFrame.url ?? '';
  const name = node.callFrame.functionName;
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const ours = url.match(/\/(apps|libs)\/([^/]+)\//);
  if (ours) return `${ours[1]}/${ours[2]}`;
  return url.replace(/^file:\/\//, '');
}

const areas = new Map();
const functions = new Map();
for (const [id, us] of self) {
  const node = byId.get(id);
  if (!node) continue;
  const area = areaOf(node);
  areas.set(area, (areas.get(area) ?? 0) + us);
  const cf = node.callFrame;
  const sub = (cf.url ?? '').match(/\/dist-cjs\/(.+)$/)?.[1];
  const where = sub ? `${area}/${sub}` : area;
  const key = `${cf.functionName || '(anonymous)'} ${where}:${cf.lineNumber + 1}`;
  functions.set(key, (functions.get(key) ?? 0) + us);
}

// Native and node-internal time charged to the nearest caller that is a package or our code, so
// socket writes, hashing and promise machinery land on whoever asked for them.
const parentOf = new Map();
for (const node of profile.nodes)
  for (const child of node.children ?? []) parentOf.set(child, node.id);
const isOwner = (area) => !area.startsWith('(') && !area.startsWith('node:');
const charged = new Map();
for (const [id, us] of self) {
  let node = byId.get(id);
  let area = node ? areaOf(node) : '(unknown)';
  const own = area;
  while (node && !isOwner(area)) {
    node = byId.get(parentOf.get(node.id));
    if (node) area = areaOf(node);
  }
  const key = node ? area : own;
  charged.set(key, (charged.get(key) ?? 0) + us);
}

const fmt = (us) => {
  const pct = ((100 * us) / totalUs).toFixed(1).padStart(5);
  const perUnit = per ? `  ${(us / per).toFixed(1).padStart(7)} µs/unit` : '';
  return `${pct}%  ${(us / 1000).toFixed(0).padStart(7)} ms${perUnit}`;
};
console.log(`${file}: ${(totalUs / 1e6).toFixed(2)} s sampled${per ? `, ${per} units` : ''}`);
console.log('\nself time by area');
for (const [area, us] of [...areas].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${fmt(us)}  ${area}`);
}
console.log('\ntime charged to the nearest package or project (native/internal → caller)');
for (const [area, us] of [...charged].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${fmt(us)}  ${area}`);
}
console.log('\ntop functions (self)');
for (const [name, us] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`${fmt(us)}  ${name}`);
}
