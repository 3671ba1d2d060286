/**
 * The top entries of a V8 CPU profile (`node --cpu-prof`): self time by
 * function and by file, as percentages of the samples, so a profile can be
 * quoted before and after a change. Usage: `npx tsx bench/profile-top.ts FILE [n]`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}

const [file, n = '20'] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: profile-top.ts FILE [n]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as { readonly nodes: readonly ProfileNode[] };
const total = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0);
const shortUrl = (url: string) => url.replace(/^file:\/\/.*?\/(node_modules|src|bench)\//, '$1/').replace(/^node:/, 'node:');

const tally = (key: (node: ProfileNode) => string) => {
  const sums = new Map<string, number>();
  for (const node of profile.nodes) sums.set(key(node), (sums.get(key(node)) ?? 0) + (node.hitCount ?? 0));
  return [...sums].sort((a, b) => b[1] - a[1]).slice(0, Number(n));
};
const print = (title: string, rows: ReadonlyArray<readonly [string, number]>) => {
  process.stdout.write(`\n${title} (${total} samples)\n`);
  for (const [name, hits] of rows) process.stdout.write(`${((hits / total) * 100).toFixed(1).padStart(5)} %  ${name}\n`);
};
print('self time by function', tally((node) => `${node.callFrame.functionName || '(anonymous)'}  ${shortUrl(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`));
print('self time by file', tally((node) => shortUrl(node.callFrame.url) || node.callFrame.functionName));
const byPackage = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1] ?? url;
  if (url.includes('/src/')) return 'igflow src/' + (url.split('/src/')[1]?.split('/')[0] ?? '');
  return url.startsWith('node:') ? 'node internals' : url === '' ? '(native / gc / idle)' : url;
};
print('self time by package', tally((node) => byPackage(node.callFrame.url)));

// Total time: each sample counts once for every distinct function on its stack.
const parent = new Map<number, number>();
for (const node of profile.nodes as ReadonlyArray<ProfileNode & { readonly children?: readonly number[] }>) for (const child of node.children ?? []) parent.set(child, node.id);
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const inclusive = new Map<string, number>();
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0;
  if (hits === 0) continue;
  const seen = new Set<string>();
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) break;
    const name = `${frame.functionName || '(anonymous)'}  ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    if (!seen.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + hits);
    seen.add(name);
  }
}
print(
  'total time of igflow functions',
  [...inclusive].filter(([name]) => name.includes('src/')).sort((a, b) => b[1] - a[1]).slice(0, Number(n)),
);
