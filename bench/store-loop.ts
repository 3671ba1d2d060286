/**
 * The file store alone, without the engine or HTTP: `BENCH_SCALE × 1,000`
 * posts, 50 at a time (`CONCURRENCY`), each making the store calls the
 * engine makes for an image post (create with a claim, two saves, a ledger
 * entry, finish), against the memory store and, with `BENCH_BASELINE`, the
 * file store of another checkout. Prints, per round, the wall time of the
 * calls, then that of `close()` (the file store's deferred fsyncs), and the
 * process's CPU time per post.
 *
 * Run alone: `node --import tsx bench/store-loop.ts`.
 */
import { fileStore } from '../src/adapters/file-store.js';
import { memoryStore } from '../src/adapters/memory-store.js';
import type { Store } from '../src/adapters/store.js';
import { baselineFileStore } from './baseline-store.js';
import { runBounded } from './bounded.js';
import { rounds, scaled } from './settings.js';
import { fmt } from './stats.js';
import { tempDir } from './temp-dir.js';

const POSTS = scaled(1_000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 50);
/** A snapshot about the size of an image post's while it polls. */
const snapshot = { status: 'active', value: { preparing: 'polling' }, context: { notes: 'x'.repeat(1_500) } };

/** The engine's store calls for `POSTS` image posts, `CONCURRENCY` at a time. */
async function storeCalls(store: Store, tag: string): Promise<void> {
  await runBounded(POSTS, CONCURRENCY, async (i) => {
    const now = Date.now();
    const created = await store.posts.create(
      { postId: `${tag}-${i}`, account: 'a1', machine: 'post', status: 'active', state: 'accepted', spec: { kind: 'image' }, createdAt: now, updatedAt: now },
      { owner: 'bench', until: now + 60_000 },
    );
    if (!created.created || !created.claim) throw new Error('the create claimed nothing');
    let claim = created.claim;
    for (const state of ['creating', 'polling']) claim = await store.queue.save(claim, { state, snapshot, updatedAt: Date.now() });
    await store.ledger.recordPublish({ account: 'a1', postId: claim.post.postId, at: Date.now() });
    await store.queue.finish(claim, { status: 'published', state: 'published', result: { outcome: 'published', mediaId: '1', containerId: 'c' } });
  });
}

const baseline = await baselineFileStore();
const variants: ReadonlyArray<readonly [string, (dir: string) => Store]> = [
  ['file', (dir) => fileStore(dir)],
  ...(baseline ? [['file (baseline)', baseline] as const] : []),
  ['memory', () => memoryStore()],
];
console.log(`# store calls of ${fmt(POSTS)} image posts, ${CONCURRENCY} at a time, ${rounds} rounds`);
for (let round = 0; round < rounds; round++) {
  const cells: string[] = [];
  for (const [name, open] of variants) {
    const temp = await tempDir('store-loop');
    const store = open(temp.dir);
    const cpu = process.cpuUsage();
    const started = performance.now();
    await storeCalls(store, `r${round}`);
    const calls = performance.now() - started;
    await store.close();
    const closed = performance.now() - started - calls;
    const used = process.cpuUsage(cpu);
    await temp.remove();
    cells.push(`${name} ${fmt(calls)} ms + close ${fmt(closed)} ms (${fmt((POSTS / calls) * 1000)} posts/s, CPU ${fmt((used.user + used.system) / 1000 / POSTS, 2)} ms/post)`);
  }
  console.log(`round ${round + 1}: ${cells.join(' | ')}`);
}
