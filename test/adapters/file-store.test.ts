import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Lease, PostEnvelope } from '../../src/adapters/envelope.js';
import { fileStore, type FileStoreOptions } from '../../src/adapters/file-store.js';
import { forEachBounded } from '../../src/adapters/fs/bounded-map.js';
import { keyFileText } from '../../src/adapters/fs/key-file.js';
import { storeLayout } from '../../src/adapters/fs/store-layout.js';
import { DamagedPostError, LeaseLostError, StaleWriteError, StoreError } from '../../src/adapters/store-errors.js';
import type { Claim, ClaimRequest, Store } from '../../src/adapters/store.js';
import { postIdForKey } from '../../src/engine/post-id.js';
import { rejection } from './conformance/subject.js';
import { storeConformance } from './conformance/index.js';
import { ACCOUNT, newPost, published } from './fixtures/new-post.js';
import { tempDir, tempFileStore } from './fixtures/temp-store.js';

storeConformance('file', tempFileStore, { storesBytes: true });

/** Every file name under `dir`, recursively, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

/** Every file under `dir` with its bytes, inode and mtime: what a write would change. */
async function fileStates(dir: string): Promise<Map<string, { text: string; ino: number; mtimeMs: number }>> {
  const states = new Map<string, { text: string; ino: number; mtimeMs: number }>();
  for (const name of await filesUnder(dir)) {
    const path = join(dir, name);
    const { ino, mtimeMs } = await stat(path);
    states.set(name, { text: await readFile(path, 'utf8'), ino, mtimeMs });
  }
  return states;
}

/** The files whose bytes, inode or mtime differ between two {@link fileStates}, or that only one has. */
function changedFiles(before: Awaited<ReturnType<typeof fileStates>>, after: Awaited<ReturnType<typeof fileStates>>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((name) => JSON.stringify(before.get(name)) !== JSON.stringify(after.get(name))).sort();
}

const WORKER = fileURLToPath(new URL('./fixtures/race-worker.ts', import.meta.url));

/** Starts `node --import tsx race-worker.ts …`. */
const startWorker = (args: string[]): ChildProcess => spawn(process.execPath, ['--import', 'tsx', WORKER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });

/** Runs a race worker and returns its one line of JSON output. */
function runWorker(args: string[]): Promise<unknown> {
  const child = startWorker(args);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as unknown) : reject(new Error(`worker exited ${code}: ${err}`))));
  });
}

/** A claim request of `owner` at `now`, for a minute. */
const request = (owner: string, now: number, extra: Partial<ClaimRequest> = {}): ClaimRequest => ({ owner, now, until: now + 60_000, limit: 10, ...extra });

/** The one claim `store` makes for `owner`; throws when it claims nothing. */
async function claimOne(store: Store, owner: string, now: number, extra: Partial<ClaimRequest> = {}): Promise<Claim> {
  const [claim] = await store.queue.claim(request(owner, now, extra));
  if (claim === undefined) throw new Error(`${owner} claimed nothing`);
  return claim;
}

/** A snapshot about the size of a carousel's mid-way (a few KB). */
const bigSnapshot = { status: 'active', value: { preparing: 'carousel' }, context: { items: Array.from({ length: 8 }, (_, i) => ({ url: `https://cdn.example/look-${i}.jpg`, containerId: `1789${i}`.padEnd(17, '0'), polls: [1, 2, 3] })), notes: 'n'.repeat(3_000) } };

describe('file store', () => {
  const dirs: string[] = [];
  const stores: Store[] = [];
  /** A fresh temp dir, removed after the test. */
  const freshDir = async (): Promise<string> => {
    const dir = await tempDir();
    dirs.push(dir);
    return dir;
  };
  const open = (dir: string, options?: FileStoreOptions): Store => {
    const store = fileStore(dir, options);
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  describe('outbox', () => {
    const finishing = { status: 'published', state: 'published', result: { outcome: 'published', mediaId: '9000', containerId: 'c1' }, updatedAt: 5_000 } as const;

    it('a finish whose outbox marker cannot be written is not committed: no finish is ever without its marker', async () => {
      const dir = await freshDir();
      const store = open(dir);
      await store.posts.create(newPost('p1', { wakeAt: undefined }));
      const claim = await claimOne(store, 'w1', 2_000, { postIds: ['p1'] });
      // a directory (not empty) where the marker must go: its rename fails, as a full disk would make it
      await mkdir(join(dir, 'outbox', 'p1.json', 'in-the-way'), { recursive: true });
      await expect(store.queue.finish(claim, finishing)).rejects.toBeInstanceOf(StoreError);
      expect(await store.posts.get('p1')).toMatchObject({ status: 'active', version: claim.post.version });
      expect(await open(dir).posts.get('p1')).toMatchObject({ status: 'active' });
      await rm(join(dir, 'outbox', 'p1.json'), { recursive: true });
      await store.queue.finish(claim, finishing);
      const [delivery] = await store.outbox.claimDeliveries({ owner: 'd1', now: 6_000, until: 60_000, limit: 10 });
      expect(delivery?.entry).toMatchObject({ postId: 'p1', status: 'published', result: finishing.result, at: 5_000 });
    });

    it('a marker whose post is not finished (a crash between the two) counts for nothing until the post finishes', async () => {
      const dir = await freshDir();
      const store = open(dir);
      await store.posts.create(newPost('p1', { wakeAt: undefined }));
      const claim = await claimOne(store, 'w1', 2_000, { postIds: ['p1'] });
      await mkdir(join(dir, 'outbox'), { recursive: true });
      await writeFile(join(dir, 'outbox', 'p1.json'), `${JSON.stringify({ postId: 'p1', key: 'key-p1', account: ACCOUNT, status: 'published', at: 4_000 })}\n`);
      expect(await store.outbox.claimDeliveries({ owner: 'd1', now: 6_000, until: 60_000, limit: 10 })).toEqual([]);
      expect(await store.outbox.nextDeliveryAt(6_000)).toBeUndefined();
      await store.queue.finish(claim, finishing);
      expect((await store.outbox.claimDeliveries({ owner: 'd1', now: 6_000, until: 60_000, limit: 10 })).map((c) => c.entry.at)).toEqual([5_000]);
    });
  });

  describe('layout and compaction', () => {
    it('compacts a finished post, by an edit or by finish: its file keeps key, result, state and timestamps but no snapshot', async () => {
      const dir = await freshDir();
      const store = open(dir);
      const { post } = await store.posts.create(newPost('p1', { key: 'k1' }));
      await store.posts.put(published(post, 4_000), 1);
      await store.posts.create(newPost('p2', { key: 'k2', wakeAt: undefined }));
      const claim = await claimOne(store, 'w1', 10_000, { postIds: ['p2'] });
      await store.queue.finish(claim, { status: 'published', state: 'published', result: { outcome: 'published', mediaId: '9001', containerId: 'c2' }, updatedAt: 5_000 });
      for (const [postId, key, mediaId, updatedAt] of [['p1', 'k1', '9000', 4_000], ['p2', 'k2', '9001', 5_000]] as const) {
        const onDisk = JSON.parse(await readFile(storeLayout(dir).postFile(postId), 'utf8')) as Record<string, unknown>;
        expect(onDisk).not.toHaveProperty('snapshot');
        expect(onDisk).toMatchObject({ key, state: 'published', status: 'published', result: { outcome: 'published', mediaId }, createdAt: 1_000, updatedAt });
        expect((await store.posts.get(postId))?.snapshot).toBeUndefined();
      }
    });

    it('keeps the snapshot of a finished post with compactFinished: false', async () => {
      const dir = await freshDir();
      const store = open(dir, { compactFinished: false });
      const { post } = await store.posts.create(newPost('p1'));
      await store.posts.put(published(post, 4_000), 1);
      expect((await store.posts.get('p1'))?.snapshot).toEqual(newPost('p1').snapshot);
    });

    it('keeps one file per post, a lease file while the post is held, one file per key and one ledger per account, and no temp or lock files', async () => {
      const dir = await freshDir();
      const layout = storeLayout(dir);
      const store = open(dir);
      await store.posts.create(newPost('p1', { key: 'k1', wakeAt: undefined }));
      await store.posts.create(newPost('p2', { key: undefined }));
      const claim = await claimOne(store, 'w1', 10_000, { postIds: ['p1'] });
      expect(JSON.parse(await readFile(layout.leaseFile('p1'), 'utf8'))).toEqual({ owner: 'w1', token: claim.lease.token, until: 70_000 });
      expect(JSON.parse(await readFile(layout.postFile('p1'), 'utf8'))).not.toHaveProperty('lease');
      const saved = await store.queue.save(claim, { state: 'publishing' });
      await store.queue.release(saved);
      await store.ledger.recordPublish({ account: ACCOUNT, postId: 'p1', at: 3_000 });
      const files = await filesUnder(dir);
      expect(files.filter((f) => /\.(tmp|lock|break)$/.test(f))).toEqual([]);
      expect(files).toEqual([join('keys', layout.keyFile('k1').split('/').pop() ?? ''), join('ledger', `${ACCOUNT}.jsonl`), join('posts', 'p1.json'), join('posts', 'p2.json')]);
      expect(JSON.parse(await readFile(layout.keyFile('k1'), 'utf8'))).toEqual({ key: 'k1', postId: 'p1' });
    });

    it('refuses post ids that are not safe file names with a StoreError', async () => {
      const store = open(await freshDir());
      const { post } = await store.posts.create(newPost('fine'));
      for (const postId of ['../escape', 'a/b', 'a b', '..', 'x'.repeat(201)]) {
        await expect(store.posts.create(newPost(postId))).rejects.toBeInstanceOf(StoreError);
        await expect(store.posts.get(postId)).rejects.toBeInstanceOf(StoreError);
        await expect(store.posts.put({ ...post, postId }, 1)).rejects.toBeInstanceOf(StoreError);
        await expect(store.queue.claim(request('w', 0, { postIds: [postId] }))).rejects.toBeInstanceOf(StoreError);
        await expect(store.queue.renew('w', [{ postId, token: 't' }], 1)).rejects.toBeInstanceOf(StoreError);
      }
      await expect(store.posts.create(newPost('Ab9._-x'))).resolves.toMatchObject({ created: true });
    });

    it('reads a store directory that does not exist yet as empty, creating nothing, and creates it on the first write', async () => {
      const parent = await freshDir();
      const dir = join(parent, 'nested', '.igflow');
      const store = open(dir);
      expect(await store.posts.list()).toEqual({ posts: [], problems: [] });
      expect(await store.posts.get('p1')).toBeUndefined();
      expect(await store.posts.findByKey('k1')).toBeUndefined();
      expect(await store.ledger.publishesSince(ACCOUNT, 0)).toEqual([]);
      expect(await store.queue.claim(request('w1', 0))).toEqual([]);
      expect(await store.queue.nextDueAt(0)).toBeUndefined();
      expect(await readdir(parent)).toEqual([]);
      await store.posts.create(newPost('p1'));
      expect((await stat(join(dir, 'posts', 'p1.json'))).isFile()).toBe(true);
    });
  });

  describe('leases in their own file', () => {
    it('a renewal leaves the post file byte for byte (and inode) unchanged and rewrites only the lease file', async () => {
      const dir = await freshDir();
      const layout = storeLayout(dir);
      const store = open(dir);
      await store.posts.create(newPost('p1', { wakeAt: undefined, snapshot: bigSnapshot }));
      await store.posts.create(newPost('p2', { wakeAt: undefined }));
      const claim = await claimOne(store, 'w1', 10_000, { postIds: ['p1'] });
      const postBytes = (await stat(layout.postFile('p1'))).size;
      expect(postBytes).toBeGreaterThan(4_000);
      const before = await fileStates(dir);
      await sleep(20); // a rewrite would show in the mtime too
      expect(await store.queue.renew('w1', [{ postId: 'p1', token: claim.lease.token }], 130_000)).toEqual([]);
      const after = await fileStates(dir);
      expect(changedFiles(before, after)).toEqual([join('posts', 'p1.lease')]);
      const leaseText = after.get(join('posts', 'p1.lease'))?.text ?? '';
      expect(JSON.parse(leaseText)).toEqual({ owner: 'w1', token: claim.lease.token, until: 130_000 });
      expect(Buffer.byteLength(leaseText)).toBeLessThan(100);
      expect(await store.posts.get('p1')).toEqual({ ...claim.post, lease: { ...claim.lease, until: 130_000 } });
    });

    it('a claim writes only the new lease file, and does not bump the version', async () => {
      const dir = await freshDir();
      const store = open(dir);
      await store.posts.create(newPost('p1', { wakeAt: undefined, snapshot: bigSnapshot }));
      const before = await fileStates(dir);
      await sleep(20);
      const claim = await claimOne(store, 'w1', 10_000);
      expect(changedFiles(before, await fileStates(dir))).toEqual([join('posts', 'p1.lease')]);
      expect(claim.post.version).toBe(1);
    });

    it('an edit rewrites the post file and leaves the lease file alone', async () => {
      const dir = await freshDir();
      const store = open(dir);
      const created = await store.posts.create(newPost('p1'), { owner: 'w1', until: 70_000 });
      const before = await fileStates(dir);
      await sleep(20);
      await store.posts.put({ ...created.post, state: 'edited' }, 1);
      expect(changedFiles(before, await fileStates(dir))).toEqual([join('posts', 'p1.json')]);
    });

    it('park, finish and release remove the lease file; a save keeps it', async () => {
      const dir = await freshDir();
      const layout = storeLayout(dir);
      const store = open(dir);
      for (const id of ['a', 'b', 'c']) await store.posts.create(newPost(id, { wakeAt: undefined }));
      const claims = await store.queue.claim(request('w1', 10_000));
      const [a, b, c] = await Promise.all(claims.map((claim) => store.queue.save(claim, { state: 'saved' })));
      if (!a || !b || !c) throw new Error('claims missing');
      expect((await filesUnder(dir)).filter((f) => f.endsWith('.lease'))).toEqual(['posts/a.lease', 'posts/b.lease', 'posts/c.lease']);
      await store.queue.park(a, { wakeAt: 90_000, waitReason: 'processing' });
      await store.queue.finish(b, { status: 'failed', state: 'failed', result: { outcome: 'failed', error: { name: 'E', errorClass: 'invalid-input', retryable: false, message: 'no', remedy: 'fix' } } });
      await store.queue.release(c);
      await expect(stat(layout.leaseFile('a'))).rejects.toMatchObject({ code: 'ENOENT' });
      expect((await filesUnder(dir)).filter((f) => f.endsWith('.lease'))).toEqual([]);
    });

    it('a crash between writing a parked post and removing its lease leaves a lease nobody can use, which runs out or is taken over', async () => {
      const dir = await freshDir();
      const layout = storeLayout(dir);
      const store = open(dir);
      await store.posts.create(newPost('p', { wakeAt: undefined }));
      const claim = await claimOne(store, 'w1', 10_000);
      const leftover = await readFile(layout.leaseFile('p'), 'utf8');
      await store.queue.park(claim, { state: 'waiting', wakeAt: 20_000, waitReason: 'processing' });
      await writeFile(layout.leaseFile('p'), leftover); // as if the process died before the unlink
      const parked = await store.posts.get('p');
      expect(parked).toMatchObject({ state: 'waiting', version: 2, lease: claim.lease });
      expect(await rejection(store.queue.save(claim, { state: 'after death' }))).toBeInstanceOf(LeaseLostError);
      expect(await store.queue.claim(request('w2', 30_000))).toEqual([]);
      expect(await store.queue.nextDueAt(30_000)).toBe(70_000);
      expect((await claimOne(store, 'w2', 30_000, { takeOver: (held) => held.owner === 'w1' })).post.state).toBe('waiting');
      await store.queue.release(await claimOne(store, 'w3', 200_000, { takeOver: () => true }));
      expect((await claimOne(store, 'w4', 200_000)).post.version).toBe(2);
    });

    it('a lease file left by a crashed finish is shown, but the finished post is never claimed again', async () => {
      const dir = await freshDir();
      const layout = storeLayout(dir);
      const store = open(dir);
      await store.posts.create(newPost('p', { wakeAt: undefined }));
      const claim = await claimOne(store, 'w1', 10_000);
      const leftover = await readFile(layout.leaseFile('p'), 'utf8');
      await store.queue.finish(claim, { status: 'published', state: 'published', result: { outcome: 'published', mediaId: 'm', containerId: 'c' } });
      await writeFile(layout.leaseFile('p'), leftover);
      expect((await store.posts.list()).posts).toMatchObject([{ postId: 'p', status: 'published', lease: claim.lease }]);
      expect(await store.queue.claim(request('w2', 100_000, { postIds: ['p'], takeOver: () => true }))).toEqual([]);
      expect(await store.queue.nextDueAt(100_000)).toBeUndefined();
    });

    it('a lease file without its post file (a create that crashed) means nothing, and a create of that id replaces it', async () => {
      const dir = await freshDir();
      const layout = storeLayout(dir);
      const store = open(dir);
      await mkdir(layout.posts, { recursive: true });
      const orphan: Lease = { owner: 'dead', token: 'old-token', until: 10 ** 12 };
      for (const id of ['free', 'claimed', 'never']) await writeFile(layout.leaseFile(id), JSON.stringify(orphan));
      expect(await store.posts.get('never')).toBeUndefined();
      expect(await store.posts.list()).toEqual({ posts: [], problems: [] });
      const free = await store.posts.create(newPost('free', { wakeAt: undefined }));
      expect(free.post.lease).toBeUndefined();
      expect((await store.posts.get('free'))?.lease).toBeUndefined();
      const claimed = await store.posts.create(newPost('claimed'), { owner: 'w1', until: 5_000 });
      expect((await store.posts.get('claimed'))?.lease).toEqual(claimed.created ? claimed.claim?.lease : undefined);
      expect((await claimOne(store, 'w2', 1_000)).post.postId).toBe('free');
    });

    it('a damaged lease file makes its post a problem, named by its key, never quoted, and never claimed', async () => {
      const dir = await freshDir();
      const layout = storeLayout(dir);
      const store = open(dir);
      const key = 'launch day';
      const postId = postIdForKey(key);
      await store.posts.create(newPost(postId, { key, wakeAt: undefined }));
      await store.posts.create(newPost('fine', { wakeAt: undefined }));
      for (const [text, damage] of [
        ['{"owner":"w1","tok', 'truncated'],
        ['{"owner":"w1","token":"\u001b[31m', 'not JSON'],
        ['{"owner":"w1","token":"\\u001b[31m","until":"soon"}', 'wrong shape at until'],
      ] as const) {
        await writeFile(layout.leaseFile(postId), text);
        const error = await rejection(store.posts.get(postId));
        expect(error).toBeInstanceOf(DamagedPostError);
        expect(error).toMatchObject({ kind: 'corrupt', postId });
        expect((error as Error).message).toContain(`lease file (posts/${postId}.lease)`);
        expect((error as Error).message).toContain(damage);
        expect((error as Error).message).not.toContain('\u001b');
        const listing = await store.posts.list();
        expect(listing.posts.map((p) => p.postId)).toEqual(['fine']);
        expect(listing.problems.map((p) => [p.postId, p.key, p.error.kind])).toEqual([[postId, key, 'corrupt']]);
        expect(listing.problems[0]?.error.message).toContain(`post "launch day" (${postId}) has a damaged lease file`);
        expect(await rejection(store.queue.claim(request('w1', 10_000, { postIds: [postId] })))).toBeInstanceOf(DamagedPostError);
      }
      expect((await store.queue.claim(request('w1', 10_000))).map((c) => c.post.postId)).toEqual(['fine']);
    });

    it('a post whose lock cannot be taken is skipped by a claim, which takes the others; named alone, the failure is thrown', async () => {
      const dir = await freshDir();
      const layout = storeLayout(dir);
      const store = open(dir, { staleLockMs: 1_000 });
      await store.posts.create(newPost('a', { wakeAt: undefined, createdAt: 1_000 }));
      await store.posts.create(newPost('b', { wakeAt: undefined, createdAt: 2_000 }));
      await mkdir(layout.lockFile('a')); // stale and unbreakable: unlink fails on a directory
      const longAgo = new Date(Date.now() - 60_000);
      await utimes(layout.lockFile('a'), longAgo, longAgo);
      expect((await store.queue.claim(request('w1', 10_000))).map((c) => c.post.postId)).toEqual(['b']);
      const error = await rejection(store.queue.claim(request('w1', 10_000, { postIds: ['a'] })));
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ kind: 'io', postId: 'a' });
    });

    it('a renewal that cannot read one lease renews the others, then throws that failure', async () => {
      const dir = await freshDir();
      const layout = storeLayout(dir);
      const store = open(dir);
      for (const id of ['a', 'b']) await store.posts.create(newPost(id, { wakeAt: undefined }));
      const [a, b] = await store.queue.claim(request('w1', 10_000));
      if (!a || !b) throw new Error('claims missing');
      await rm(layout.leaseFile('b'));
      await mkdir(layout.leaseFile('b')); // reading it fails with EISDIR
      const error = await rejection(store.queue.renew('w1', [b, a].map((c) => ({ postId: c.post.postId, token: c.lease.token })), 130_000));
      expect(error).toMatchObject({ kind: 'io', postId: 'b' });
      expect((await store.posts.get('a'))?.lease?.until).toBe(130_000);
    });
  });

  describe('two stores on one directory (as two processes)', () => {
    it('make one post per key', async () => {
      const dir = await freshDir();
      const [a, b] = [open(dir), open(dir)];
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).posts.create(newPost(`p${i}`, { key: 'k' }), { owner: `w${i}`, until: 70_000 })));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.post.postId)).size).toBe(1);
      const [winner] = (await a.posts.list()).posts;
      expect(winner?.lease).toEqual(results.find((r) => r.created)?.post.lease);
      expect((await filesUnder(dir)).filter((f) => f.endsWith('.lease'))).toEqual([`posts/${winner?.postId}.lease`]);
    });

    it('racing to create and claim one keyed post, leave it held by the one whose create won', async () => {
      const dir = await freshDir();
      const [a, b] = [open(dir), open(dir)];
      for (let round = 0; round < 10; round++) {
        const key = `launch-${round}`;
        const post = newPost(postIdForKey(key), { key });
        const results = await Promise.all([a.posts.create(post, { owner: 'a', until: 70_000 }), b.posts.create(post, { owner: 'b', until: 70_000 })]);
        const won = results.filter((r) => r.created);
        expect(won).toHaveLength(1);
        const claim = won[0]?.created ? won[0].claim : undefined;
        expect((await a.posts.get(post.postId))?.lease).toEqual(claim?.lease);
        expect(results.map((r) => r.post.postId)).toEqual([post.postId, post.postId]);
      }
    });

    it('refuse a stale write, and let exactly one of two racing puts win', async () => {
      const dir = await freshDir();
      const [a, b] = [open(dir), open(dir)];
      const { post } = await a.posts.create(newPost('p1'));
      const outcomes = await Promise.allSettled([a.posts.put({ ...post, state: 'a' }, 1), b.posts.put({ ...post, state: 'b' }, 1)]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      await expect(b.posts.put({ ...post, state: 'c' }, 1)).rejects.toBeInstanceOf(StaleWriteError);
      expect((await b.posts.get('p1'))?.version).toBe(2);
    });

    it('give a post to one of two claiming at once, and the other’s renewal of a taken-over lease says it is lost', async () => {
      const dir = await freshDir();
      const [a, b] = [open(dir), open(dir)];
      await a.posts.create(newPost('p1', { wakeAt: undefined }));
      const rounds = await Promise.all([a.queue.claim(request('a', 10_000)), b.queue.claim(request('b', 10_000))]);
      expect(rounds.flat()).toHaveLength(1);
      const mine = await claimOne(a, 'a', 10_000, { postIds: ['p1'], takeOver: () => true });
      const theirs = await claimOne(b, 'b', 10_000, { postIds: ['p1'], takeOver: () => true });
      expect(await a.queue.renew('a', [{ postId: 'p1', token: mine.lease.token }], 99_000)).toEqual(['p1']);
      expect(await b.posts.get('p1')).toMatchObject({ lease: theirs.lease });
    });
  });

  describe('crash leftovers', () => {
    it('a leftover temp file from a crash does not break reads, listings or writes', async () => {
      const dir = await freshDir();
      const store = open(dir);
      const { post } = await store.posts.create(newPost('p1', { wakeAt: undefined }));
      await writeFile(join(dir, 'posts', '.p1.json.0123456789ab.tmp'), '{"v":2,"postId":"p1","tor');
      await writeFile(join(dir, 'posts', '.p1.lease.0123456789ab.tmp'), '{"owner":"w');
      await writeFile(join(dir, 'keys', '.deadbeef.0123456789ab.tmp'), '');
      expect((await store.posts.get('p1'))?.version).toBe(1);
      expect(await store.posts.list()).toMatchObject({ posts: [{ postId: 'p1' }], problems: [] });
      await expect(store.posts.put({ ...post, state: 'publishing' }, 1)).resolves.toMatchObject({ version: 2 });
      const claim = await claimOne(store, 'w1', 10_000);
      expect(await store.queue.renew('w1', [{ postId: 'p1', token: claim.lease.token }], 99_000)).toEqual([]);
      await expect(store.posts.create(newPost('p2'))).resolves.toMatchObject({ created: true });
    });

    it('a listing removes temp files staleLockMs old, in posts/ and keys/, and keeps younger ones', async () => {
      const dir = await freshDir();
      const store = open(dir, { staleLockMs: 1_000 });
      await store.posts.create(newPost('p1'));
      const at = (ms: number) => new Date(Date.now() - ms);
      const temps = {
        stalePost: [join(dir, 'posts', '.p1.json.0123456789ab.tmp'), at(2_000)],
        staleLease: [join(dir, 'posts', '.p1.lease.0123456789ab.tmp'), at(2_000)],
        staleKey: [join(dir, 'keys', '.deadbeef.0123456789ab.tmp'), at(2_000)],
        youngPost: [join(dir, 'posts', '.p2.json.ba9876543210.tmp'), at(300)],
        notATemp: [join(dir, 'posts', '.notes.tmp'), at(60_000)],
      } as const;
      for (const [path, mtime] of Object.values(temps)) {
        await writeFile(path, '{"v":2');
        await utimes(path, mtime, mtime);
      }
      expect(await store.posts.list()).toMatchObject({ posts: [{ postId: 'p1' }], problems: [] });
      expect((await filesUnder(dir)).filter((f) => f.endsWith('.tmp'))).toEqual(['posts/.notes.tmp', 'posts/.p2.json.ba9876543210.tmp']);
    });

    it('keys/ is swept once per store object; posts/ on every listing', async () => {
      const dir = await freshDir();
      const store = open(dir, { staleLockMs: 1_000 });
      await store.posts.create(newPost('p1'));
      await store.posts.list({ status: 'unfinished' });
      const hourAgo = new Date(Date.now() - 3_600_000);
      for (const path of [join(dir, 'posts', '.p1.json.0123456789ab.tmp'), join(dir, 'keys', '.deadbeef.0123456789ab.tmp')]) {
        await writeFile(path, '');
        await utimes(path, hourAgo, hourAgo);
      }
      await store.posts.list({ status: 'unfinished' });
      expect((await filesUnder(dir)).filter((f) => f.endsWith('.tmp'))).toEqual(['keys/.deadbeef.0123456789ab.tmp']);
      await open(dir, { staleLockMs: 1_000 }).posts.list();
      expect((await filesUnder(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });

    it('a stale lock left by a crash is broken and the write goes through: an edit, a claim, a renewal', async () => {
      const dir = await freshDir();
      const store = open(dir);
      const { post } = await store.posts.create(newPost('p1', { wakeAt: undefined }));
      const lock = storeLayout(dir).lockFile('p1');
      const crashed = async (): Promise<void> => {
        await writeFile(lock, '4242@crashed-host\n');
        const longAgo = new Date(Date.now() - 60_000);
        await utimes(lock, longAgo, longAgo);
      };
      await crashed();
      await expect(store.posts.put({ ...post, state: 'publishing' }, 1)).resolves.toMatchObject({ version: 2 });
      await crashed();
      const claim = await claimOne(store, 'w1', 10_000);
      await crashed();
      expect(await store.queue.renew('w1', [{ postId: 'p1', token: claim.lease.token }], 99_000)).toEqual([]);
      expect((await store.posts.get('p1'))?.lease?.until).toBe(99_000);
      expect((await filesUnder(dir)).filter((f) => f.includes('.lock'))).toEqual([]);
    });

    it('two stores meeting one stale lock break it once, and exactly one of their puts wins', async () => {
      const dir = await freshDir();
      const [a, b] = [open(dir), open(dir)];
      const { post } = await a.posts.create(newPost('p1'));
      const lock = storeLayout(dir).lockFile('p1');
      await writeFile(lock, '4242@crashed-host\n');
      const longAgo = new Date(Date.now() - 60_000);
      await utimes(lock, longAgo, longAgo);
      const outcomes = await Promise.allSettled([a.posts.put({ ...post, state: 'a' }, 1), b.posts.put({ ...post, state: 'b' }, 1)]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.find((o) => o.status === 'rejected')?.reason).toBeInstanceOf(StaleWriteError);
      expect((await a.posts.get('p1'))?.version).toBe(2);
    });

    it('a live lock held elsewhere makes an edit and a renewal wait until it is released', async () => {
      const dir = await freshDir();
      const store = open(dir);
      const created = await store.posts.create(newPost('p1'), { owner: 'w1', until: 70_000 });
      if (!created.created || created.claim === undefined) throw new Error('no claim');
      const lock = storeLayout(dir).lockFile('p1');
      await writeFile(lock, '4242@other-process\n');
      const settled: string[] = [];
      const put = store.posts.put({ ...created.post, state: 'publishing' }, 1).finally(() => settled.push('put'));
      const renew = store.queue.renew('w1', [{ postId: 'p1', token: created.claim.lease.token }], 99_000).finally(() => settled.push('renew'));
      await sleep(150);
      expect(settled).toEqual([]);
      await rm(lock);
      await expect(put).resolves.toMatchObject({ version: 2 });
      await expect(renew).resolves.toEqual([]);
      expect(await store.posts.get('p1')).toMatchObject({ version: 2, state: 'publishing', lease: { until: 99_000 } });
    });

    it('a key claimed by a create that crashed before writing its post still leads to that post, held by the crashed creator', async () => {
      const dir = await freshDir();
      const layout = storeLayout(dir);
      const store = open(dir);
      await mkdir(layout.keys, { recursive: true });
      await mkdir(layout.posts, { recursive: true });
      const orphan = { ...newPost('p1', { key: 'k1', wakeAt: undefined }), v: 2, version: 1 };
      const lease: Lease = { owner: 'crashed', token: 'tok-1', until: 20_000 };
      await writeFile(layout.keyFile('k1'), keyFileText({ key: 'k1', postId: 'p1', post: orphan }));
      await writeFile(layout.leaseFile('p1'), JSON.stringify(lease));
      const again = await store.posts.create(newPost('p2', { key: 'k1' }), { owner: 'w1', until: 70_000 });
      expect(again).toEqual({ created: false, post: { ...orphan, lease } });
      expect(await store.posts.get('p1')).toEqual({ ...orphan, lease });
      expect(await store.posts.get('p2')).toBeUndefined();
      expect((await store.posts.findByKey('k1'))?.postId).toBe('p1');
      expect(await store.queue.claim(request('w1', 10_000))).toEqual([]);
      expect((await claimOne(store, 'w1', 20_000)).post.postId).toBe('p1');
    });

    it('a ledger line torn by a crash is skipped and later entries still count', async () => {
      const dir = await freshDir();
      const store = open(dir);
      await store.ledger.recordPublish({ account: ACCOUNT, postId: 'p1', at: 1_000 });
      await writeFile(storeLayout(dir).ledgerFile(ACCOUNT), '\n{"account":"17841400000000001","postId":"p2","a', { flag: 'a' });
      await store.ledger.recordPublish({ account: ACCOUNT, postId: 'p3', at: 3_000 });
      expect((await store.ledger.publishesSince(ACCOUNT, 0)).map((e) => e.postId)).toEqual(['p1', 'p3']);
    });
  });

  describe('scale', () => {
    it('lists 1,000 posts with their leases, finished ones only in a listing of all', async () => {
      const dir = await freshDir();
      const store = open(dir);
      const ids = Array.from({ length: 1_000 }, (_, i) => `post-${String(i).padStart(4, '0')}`);
      const leases = new Map<string, Lease>();
      await forEachBounded(ids, 32, async (postId) => {
        const n = Number(postId.slice(5));
        const result = await store.posts.create(newPost(postId, { createdAt: 1_000 + n }), n % 3 === 0 ? { owner: 'w1', until: 70_000 + n } : undefined);
        if (result.created && result.claim) leases.set(postId, result.claim.lease);
        if (postId.endsWith('0') && !leases.has(postId)) await store.posts.put(published(result.post, 4_000), 1);
      });
      const all = await store.posts.list();
      const unfinished = await store.posts.list({ status: 'unfinished' });
      expect(all.posts.map((p) => p.postId)).toEqual(ids);
      expect(all.posts.filter((p) => p.lease !== undefined).map((p) => [p.postId, p.lease])).toEqual([...leases].sort(([a], [b]) => (a < b ? -1 : 1)));
      expect(unfinished.posts).toHaveLength(1_000 - ids.filter((id) => id.endsWith('0') && !leases.has(id)).length);
      expect(all.problems).toEqual([]);
    });
  });

  describe('separate processes', () => {
    it('child processes racing on one directory make one post per key, lose no update, and claim each post once', async () => {
      const dir = await freshDir();
      const startAt = String(Date.now() + 2_000);
      const creates = (await Promise.all([1, 2, 3, 4].map((w) => runWorker([dir, 'create', String(w), '5', startAt])))) as { created: number; postIds: string[] }[];
      expect(creates.reduce((n, r) => n + r.created, 0)).toBe(1);
      expect(new Set(creates.flatMap((r) => r.postIds)).size).toBe(1);
      expect((await open(dir).posts.list()).posts).toHaveLength(1);

      await open(dir).posts.create(newPost('counter', { key: undefined, snapshot: { counter: 0 } }));
      const putsAt = String(Date.now() + 2_000);
      const puts = (await Promise.all([1, 2, 3, 4].map((w) => runWorker([dir, 'put', String(w), '25', putsAt])))) as { wins: number; stale: number }[];
      const stored = await open(dir).posts.get('counter');
      expect(puts.reduce((n, r) => n + r.wins, 0)).toBe(100);
      expect(stored?.snapshot).toEqual({ counter: 100 });
      expect(stored?.version).toBe(101);

      const store = open(dir);
      await store.posts.put(published(stored as PostEnvelope, 5_000), 101);
      const [shared] = (await store.posts.list({ status: 'unfinished' })).posts;
      await store.posts.put(published(shared as PostEnvelope, 5_000), 1);
      const due = Array.from({ length: 40 }, (_, i) => `due-${i}`);
      for (const postId of due) await store.posts.create(newPost(postId, { wakeAt: undefined }));
      const claimsAt = String(Date.now() + 2_000);
      const claims = (await Promise.all([1, 2, 3, 4].map((w) => runWorker([dir, 'claim', String(w), '3', claimsAt])))) as { claimed: string[] }[];
      const claimed = claims.flatMap((r) => r.claimed);
      expect(claimed.sort()).toEqual([...due].sort());
      expect((await store.posts.list({ status: 'unfinished' })).posts).toEqual([]);
      expect((await filesUnder(dir)).filter((f) => /\.(lease|lock|tmp)$/.test(f))).toEqual([]);
    });

    it('a process killed at any instant of claims, saves, renewals and parks leaves every file readable, and the post can be taken over', async () => {
      const dir = await freshDir();
      const store = open(dir, { staleLockMs: 500 });
      await store.posts.create(newPost('churn', { wakeAt: undefined }));
      for (let kill = 0; kill < 4; kill++) {
        const child = startWorker([dir, 'churn', String(kill), '8', '0', '500']);
        await new Promise<void>((resolve, reject) => {
          child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
          child.on('exit', (code) => reject(new Error(`churn worker exited ${code} before it was ready`)));
        });
        await sleep(20 + Math.random() * 200);
        const exited = new Promise((resolve) => child.on('exit', resolve));
        child.kill('SIGKILL');
        await exited;
        const listing = await store.posts.list();
        expect(listing.problems).toEqual([]);
        const post = await store.posts.get('churn');
        expect(post?.state).toMatch(/^(round|parked) \d+$/);
        const claim = await claimOne(store, 'survivor', 10_000, { postIds: ['churn'], takeOver: () => true });
        const saved = await store.queue.save(claim, { state: 'taken over' });
        expect(saved.post.version).toBe((post?.version ?? 0) + 1);
        await store.queue.release(saved);
      }
    }, 30_000);
  });
});
