/**
 * How long a file-store listing of 10,000 posts takes, for two or more
 * builds of the file store side by side (rounds interleaved, medians
 * reported). Used to check that sweeping stale `.tmp` files costs a
 * listing nothing measurable:
 *
 *   npx tsx bench/listing.ts /path/to/old/dist/adapters/file-store.js dist/adapters/file-store.js
 *
 * With no argument it measures src/adapters/file-store.ts alone. Knobs:
 * BENCH_POSTS (default 10,000), BENCH_ROUNDS (default 7), BENCH_TEMPS
 * (fresh temp files left in posts/ and keys/, as writes in flight would;
 * default 0), BENCH_LEASED (the share of posts held by a worker, whose
 * lease files the listing reads too; default 0). Builds of the file store
 * from before the store's split (with `listAll()`) are measured too.
 */
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Listing } from '../src/adapters/store.js';
import { forEachBounded } from '../src/adapters/fs/bounded-map.js';
import { keyFileText } from '../src/adapters/fs/key-file.js';
import { leaseFileText } from '../src/adapters/fs/lease-file.js';
import { postFileText } from '../src/adapters/fs/post-file.js';
import { removeStaleTemps, removeStaleTempsIn } from '../src/adapters/fs/stale-temps.js';
import { storeLayout } from '../src/adapters/fs/store-layout.js';
import { storedEnvelope } from '../src/adapters/stored-envelope.js';
import { postIdForKey } from '../src/engine/post-id.js';
import { tempDir } from './temp-dir.js';

const POSTS = Number(process.env.BENCH_POSTS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const TEMPS = Number(process.env.BENCH_TEMPS ?? 0);
const LEASED = Number(process.env.BENCH_LEASED ?? 0);

/** What this bench needs of a file store build: a listing of every post, and closing. */
interface Listable {
  close(): Promise<void>;
  readonly posts?: { list(): Promise<Listing> };
  listAll?(): Promise<Listing>;
}

/** A listing of every post, by whichever API the build has. */
function listAll(store: Listable): Promise<Listing> {
  if (store.posts) return store.posts.list();
  if (store.listAll) return store.listAll();
  throw new Error('this build of the file store can list no posts');
}

/** Writes `POSTS` keyed posts (and their key files) straight to disk, as the file store lays them out. */
async function populate(dir: string): Promise<void> {
  const layout = storeLayout(dir);
  for (const sub of [layout.posts, layout.keys, layout.ledger]) await mkdir(sub, { recursive: true });
  const keys = Array.from({ length: POSTS }, (_, i) => `bench-${i}`);
  const leased = new Set(keys.filter((_, i) => i < POSTS * LEASED));
  await forEachBounded(keys, 64, async (key) => {
    const postId = postIdForKey(key);
    const post = storedEnvelope(
      { postId, key, account: '17841400000000001', machine: 'post', status: 'active', state: 'polling', snapshot: { status: 'active', value: 'polling', context: { spec: { kind: 'image', imageUrl: `https://cdn.example/${key}.jpg`, caption: 'x'.repeat(200) } } }, createdAt: 1_000, updatedAt: 1_000 },
      3,
      { compactFinished: true },
    );
    await writeFile(layout.postFile(postId), postFileText(post));
    await writeFile(layout.keyFile(key), keyFileText({ key, postId }));
    if (leased.has(key)) await writeFile(layout.leaseFile(postId), leaseFileText({ owner: 'bench-worker', token: `token-${key}`, until: 4_000_000_000_000 }));
  });
  // dated an hour ahead, so that they stay younger than any staleLockMs for the whole run
  const ahead = new Date(Date.now() + 3_600_000);
  for (let i = 0; i < TEMPS; i++) {
    for (const path of [join(layout.posts, `.${postIdForKey(`t${i}`)}.json.${i.toString(16).padStart(12, '0')}.tmp`), join(layout.keys, `.${'a'.repeat(64)}.${i.toString(16).padStart(12, '0')}.tmp`)]) {
      await writeFile(path, '{"v":1');
      await utimes(path, ahead, ahead);
    }
  }
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const paths = process.argv.slice(2);
  const variants = await Promise.all(
    (paths.length > 0 ? paths : [new URL('../src/adapters/file-store.ts', import.meta.url).pathname]).map(async (path) => ({
      path,
      fileStore: ((await import(pathToFileURL(resolve(path)).href)) as { fileStore: (dir: string) => Listable }).fileStore,
      first: [] as number[],
      again: [] as number[],
    })),
  );
  const { dir, remove } = await tempDir('listing');
  const sweep = { keys: [] as number[], posts: [] as number[] };
  try {
    await populate(dir);
    const layout = storeLayout(dir);
    const names = await readdir(layout.posts);
    for (let round = 0; round < ROUNDS; round++) {
      // rotate the order each round, so no variant always goes first
      for (let i = 0; i < variants.length; i++) {
        const variant = variants[(i + round) % variants.length]!;
        const store = variant.fileStore(dir);
        let t0 = performance.now();
        const listing = await listAll(store);
        variant.first.push(performance.now() - t0);
        if (listing.posts.length !== POSTS) throw new Error(`${variant.path} listed ${listing.posts.length} posts, not ${POSTS}`);
        t0 = performance.now();
        await listAll(store);
        variant.again.push(performance.now() - t0);
        await store.close();
      }
      // the sweep alone, as a listing runs it: keys/ once per store object (a directory listing), posts/ on names at hand
      let t0 = performance.now();
      await removeStaleTempsIn(layout.keys, 5_000);
      sweep.keys.push(performance.now() - t0);
      t0 = performance.now();
      await removeStaleTemps(layout.posts, names, 5_000);
      sweep.posts.push(performance.now() - t0);
    }
  } finally {
    await remove();
  }
  console.log(`a listing of all ${POSTS} posts (${Math.round(POSTS * LEASED)} of them leased), ${TEMPS} fresh temp files in posts/ and in keys/, ${ROUNDS} rounds (median ms):`);
  for (const v of variants) console.log(`  ${v.path}: first listing of a new store ${median(v.first).toFixed(1)}, next listing ${median(v.again).toFixed(1)}`);
  console.log(`  the stale-temp sweep alone: keys/ (once per store object) ${median(sweep.keys).toFixed(2)}, posts/ (every listing) ${median(sweep.posts).toFixed(2)}`);
}

await main();
