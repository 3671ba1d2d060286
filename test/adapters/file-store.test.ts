import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { fileStore } from '../../src/adapters/file-store.js';
import { forEachBounded } from '../../src/adapters/fs/bounded-map.js';
import { keyFileText } from '../../src/adapters/fs/key-file.js';
import { storeLayout } from '../../src/adapters/fs/store-layout.js';
import { StaleWriteError, StoreError, type PostEnvelope, type Store } from '../../src/adapters/store.js';
import { storeConformance } from './conformance.js';
import { ACCOUNT, newPost } from './fixtures/new-post.js';
import { tempDir, tempFileStore } from './fixtures/temp-store.js';

storeConformance('file', tempFileStore);

/** Every file name under `dir`, recursively, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1)).sort();
}

/** Runs `node --import tsx race-worker.ts …` and returns its one line of JSON output. */
function runWorker(args: string[]): Promise<unknown> {
  const worker = fileURLToPath(new URL('./fixtures/race-worker.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as unknown) : reject(new Error(`worker exited ${code}: ${err}`))));
  });
}

const finished = (post: PostEnvelope): PostEnvelope => ({ ...post, status: 'published', state: 'published', result: { outcome: 'published', mediaId: '9000' }, updatedAt: 4_000 });

describe('file store', () => {
  const dirs: string[] = [];
  const stores: Store[] = [];
  /** A fresh temp dir, removed after the test. */
  const freshDir = async (): Promise<string> => {
    const dir = await tempDir();
    dirs.push(dir);
    return dir;
  };
  const open = (dir: string, options?: Parameters<typeof fileStore>[1]): Store => {
    const store = fileStore(dir, options);
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  describe('layout and compaction', () => {
    it('compacts a finished post: its file keeps key, result, state and timestamps but no snapshot', async () => {
      const dir = await freshDir();
      const store = open(dir);
      const { post } = await store.create(newPost('p1', { key: 'k1' }));
      await store.put(finished(post), 1);
      const onDisk = JSON.parse(await readFile(storeLayout(dir).postFile('p1'), 'utf8')) as Record<string, unknown>;
      expect(onDisk).not.toHaveProperty('snapshot');
      expect(onDisk).toMatchObject({ key: 'k1', state: 'published', status: 'published', result: { outcome: 'published', mediaId: '9000' }, createdAt: 1_000, updatedAt: 4_000 });
      expect((await store.get('p1'))?.snapshot).toBeUndefined();
    });

    it('keeps the snapshot of a finished post with compactFinished: false', async () => {
      const dir = await freshDir();
      const store = open(dir, { compactFinished: false });
      const { post } = await store.create(newPost('p1'));
      await store.put(finished(post), 1);
      expect((await store.get('p1'))?.snapshot).toEqual(newPost('p1').snapshot);
    });

    it('keeps one file per post, one per key and one ledger per account, and no temp or lock files', async () => {
      const dir = await freshDir();
      const store = open(dir);
      const { post } = await store.create(newPost('p1', { key: 'k1' }));
      await store.create(newPost('p2', { key: undefined }));
      const leased = await store.lease('p1', { owner: 'w1', now: 1_000, until: 2_000 });
      if (!leased) throw new Error('not leased');
      await store.put({ ...post, state: 'publishing', lease: leased.lease }, leased.version);
      await store.release('p1', 'w1');
      await store.recordPublish({ account: ACCOUNT, postId: 'p1', at: 3_000 });
      const files = await filesUnder(dir);
      expect(files.filter((f) => /\.(tmp|lock|break)$/.test(f))).toEqual([]);
      expect(files).toEqual([join('keys', storeLayout(dir).keyFile('k1').split('/').pop() ?? ''), join('ledger', `${ACCOUNT}.jsonl`), join('posts', 'p1.json'), join('posts', 'p2.json')]);
      expect(JSON.parse(await readFile(storeLayout(dir).keyFile('k1'), 'utf8'))).toEqual({ key: 'k1', postId: 'p1' });
    });

    it('refuses post ids that are not safe file names with a StoreError', async () => {
      const store = open(await freshDir());
      for (const postId of ['../escape', 'a/b', 'a b', '..', 'x'.repeat(201)]) {
        await expect(store.create(newPost(postId))).rejects.toBeInstanceOf(StoreError);
        await expect(store.get(postId)).rejects.toBeInstanceOf(StoreError);
        await expect(store.lease(postId, { owner: 'w', now: 0, until: 1 })).rejects.toBeInstanceOf(StoreError);
      }
      await expect(store.create(newPost('Ab9._-x'))).resolves.toMatchObject({ created: true });
    });

    it('reads a store directory that does not exist yet as empty, and creates it on the first write', async () => {
      const dir = join(await freshDir(), 'nested', '.igflow');
      const store = open(dir);
      expect(await store.listAll()).toEqual({ posts: [], problems: [] });
      expect(await store.get('p1')).toBeUndefined();
      expect(await store.publishesSince(ACCOUNT, 0)).toEqual([]);
      await store.create(newPost('p1'));
      expect((await stat(join(dir, 'posts', 'p1.json'))).isFile()).toBe(true);
    });
  });

  describe('two stores on one directory (as two processes)', () => {
    it('make one post per key', async () => {
      const dir = await freshDir();
      const [a, b] = [open(dir), open(dir)];
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).create(newPost(`p${i}`, { key: 'k' }))));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.post.postId)).size).toBe(1);
      expect((await a.listAll()).posts).toHaveLength(1);
    });

    it('refuse a stale write, and let exactly one of two racing puts win', async () => {
      const dir = await freshDir();
      const [a, b] = [open(dir), open(dir)];
      const { post } = await a.create(newPost('p1'));
      const outcomes = await Promise.allSettled([a.put({ ...post, state: 'a' }, 1), b.put({ ...post, state: 'b' }, 1)]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      await expect(b.put({ ...post, state: 'c' }, 1)).rejects.toBeInstanceOf(StaleWriteError);
      expect((await b.get('p1'))?.version).toBe(2);
    });

    it('refuse a second lease while the first is live', async () => {
      const dir = await freshDir();
      const [a, b] = [open(dir), open(dir)];
      await a.create(newPost('p1'));
      const leases = await Promise.all([a.lease('p1', { owner: 'a', now: 0, until: 10_000 }), b.lease('p1', { owner: 'b', now: 0, until: 10_000 })]);
      expect(leases.filter((l) => l !== undefined)).toHaveLength(1);
    });
  });

  describe('crash leftovers', () => {
    it('a leftover temp file from a crash does not break reads, listings or writes', async () => {
      const dir = await freshDir();
      const store = open(dir);
      const { post } = await store.create(newPost('p1'));
      await writeFile(join(dir, 'posts', '.p1.json.0123456789ab.tmp'), '{"v":1,"postId":"p1","tor');
      await writeFile(join(dir, 'keys', '.deadbeef.0123456789ab.tmp'), '');
      expect((await store.get('p1'))?.version).toBe(1);
      expect(await store.listAll()).toMatchObject({ posts: [{ postId: 'p1' }], problems: [] });
      await expect(store.put({ ...post, state: 'publishing' }, 1)).resolves.toMatchObject({ version: 2 });
      await expect(store.create(newPost('p2'))).resolves.toMatchObject({ created: true });
    });

    it('a listing removes temp files staleLockMs old, in posts/ and keys/, and keeps younger ones', async () => {
      const dir = await freshDir();
      const store = open(dir, { staleLockMs: 1_000 });
      await store.create(newPost('p1'));
      const at = (ms: number) => new Date(Date.now() - ms);
      const temps = {
        stalePost: [join(dir, 'posts', '.p1.json.0123456789ab.tmp'), at(2_000)],
        staleKey: [join(dir, 'keys', '.deadbeef.0123456789ab.tmp'), at(2_000)],
        youngPost: [join(dir, 'posts', '.p2.json.ba9876543210.tmp'), at(300)],
        notATemp: [join(dir, 'posts', '.notes.tmp'), at(60_000)],
      } as const;
      for (const [path, mtime] of Object.values(temps)) {
        await writeFile(path, '{"v":1');
        await utimes(path, mtime, mtime);
      }
      expect(await store.listAll()).toMatchObject({ posts: [{ postId: 'p1' }], problems: [] });
      expect((await filesUnder(dir)).filter((f) => f.endsWith('.tmp'))).toEqual(['posts/.notes.tmp', 'posts/.p2.json.ba9876543210.tmp']);
    });

    it('keys/ is swept once per store object; posts/ on every listing', async () => {
      const dir = await freshDir();
      const store = open(dir, { staleLockMs: 1_000 });
      await store.create(newPost('p1'));
      await store.listUnfinished();
      const hourAgo = new Date(Date.now() - 3_600_000);
      for (const path of [join(dir, 'posts', '.p1.json.0123456789ab.tmp'), join(dir, 'keys', '.deadbeef.0123456789ab.tmp')]) {
        await writeFile(path, '');
        await utimes(path, hourAgo, hourAgo);
      }
      await store.listUnfinished();
      expect((await filesUnder(dir)).filter((f) => f.endsWith('.tmp'))).toEqual(['keys/.deadbeef.0123456789ab.tmp']);
      await open(dir, { staleLockMs: 1_000 }).listAll();
      expect((await filesUnder(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    });

    it('a stale lock left by a crash is broken and the write goes through', async () => {
      const dir = await freshDir();
      const store = open(dir);
      const { post } = await store.create(newPost('p1'));
      const lock = storeLayout(dir).lockFile('p1');
      await writeFile(lock, '4242@crashed-host\n');
      const longAgo = new Date(Date.now() - 60_000);
      await utimes(lock, longAgo, longAgo);
      await expect(store.put({ ...post, state: 'publishing' }, 1)).resolves.toMatchObject({ version: 2 });
      expect((await filesUnder(dir)).filter((f) => f.includes('.lock'))).toEqual([]);
    });

    it('two stores meeting one stale lock break it once, and exactly one of their puts wins', async () => {
      const dir = await freshDir();
      const [a, b] = [open(dir), open(dir)];
      const { post } = await a.create(newPost('p1'));
      const lock = storeLayout(dir).lockFile('p1');
      await writeFile(lock, '4242@crashed-host\n');
      const longAgo = new Date(Date.now() - 60_000);
      await utimes(lock, longAgo, longAgo);
      const outcomes = await Promise.allSettled([a.put({ ...post, state: 'a' }, 1), b.put({ ...post, state: 'b' }, 1)]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.find((o) => o.status === 'rejected')?.reason).toBeInstanceOf(StaleWriteError);
      expect((await a.get('p1'))?.version).toBe(2);
    });

    it('a live lock held elsewhere makes a write wait until it is released', async () => {
      const dir = await freshDir();
      const store = open(dir);
      const { post } = await store.create(newPost('p1'));
      const lock = storeLayout(dir).lockFile('p1');
      await writeFile(lock, '4242@other-process\n');
      let settled = false;
      const put = store.put({ ...post, state: 'publishing' }, 1).finally(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(settled).toBe(false);
      await rm(lock);
      await expect(put).resolves.toMatchObject({ version: 2 });
    });

    it('a key claimed by a create that crashed before writing its post still leads to that post', async () => {
      const dir = await freshDir();
      const layout = storeLayout(dir);
      const store = open(dir);
      await mkdir(layout.keys, { recursive: true });
      const orphan = { ...newPost('p1', { key: 'k1' }), v: 1, version: 1 };
      await writeFile(layout.keyFile('k1'), keyFileText({ key: 'k1', postId: 'p1', post: orphan }));
      const again = await store.create(newPost('p2', { key: 'k1' }));
      expect(again).toEqual({ created: false, post: orphan });
      expect(await store.get('p1')).toEqual(orphan);
      expect(await store.get('p2')).toBeUndefined();
      expect((await store.findByKey('k1'))?.postId).toBe('p1');
    });

    it('a ledger line torn by a crash is skipped and later entries still count', async () => {
      const dir = await freshDir();
      const store = open(dir);
      await store.recordPublish({ account: ACCOUNT, postId: 'p1', at: 1_000 });
      await writeFile(storeLayout(dir).ledgerFile(ACCOUNT), '\n{"account":"17841400000000001","postId":"p2","a', { flag: 'a' });
      await store.recordPublish({ account: ACCOUNT, postId: 'p3', at: 3_000 });
      expect((await store.publishesSince(ACCOUNT, 0)).map((e) => e.postId)).toEqual(['p1', 'p3']);
    });
  });

  describe('scale', () => {
    it('lists 1,000 posts, finished ones only in listAll', async () => {
      const dir = await freshDir();
      const store = open(dir);
      const ids = Array.from({ length: 1_000 }, (_, i) => `post-${String(i).padStart(4, '0')}`);
      await forEachBounded(ids, 32, async (postId) => {
        const { post } = await store.create(newPost(postId, { createdAt: 1_000 + Number(postId.slice(5)) }));
        if (postId.endsWith('0')) await store.put(finished(post), 1);
      });
      const all = await store.listAll();
      const unfinished = await store.listUnfinished();
      expect(all.posts.map((p) => p.postId)).toEqual(ids);
      expect(unfinished.posts).toHaveLength(900);
      expect(all.problems).toEqual([]);
    });
  });

  describe('separate processes', () => {
    it('child processes racing on one directory make one post per key and lose no update', async () => {
      const dir = await freshDir();
      const startAt = String(Date.now() + 2_000);
      const creates = (await Promise.all([1, 2, 3, 4].map((w) => runWorker([dir, 'create', String(w), '5', startAt])))) as { created: number; postIds: string[] }[];
      expect(creates.reduce((n, r) => n + r.created, 0)).toBe(1);
      expect(new Set(creates.flatMap((r) => r.postIds)).size).toBe(1);
      expect((await open(dir).listAll()).posts).toHaveLength(1);

      await open(dir).create(newPost('counter', { key: undefined, snapshot: { counter: 0 } }));
      const putsAt = String(Date.now() + 2_000);
      const puts = (await Promise.all([1, 2, 3, 4].map((w) => runWorker([dir, 'put', String(w), '25', putsAt])))) as { wins: number; stale: number }[];
      const stored = await open(dir).get('counter');
      expect(puts.reduce((n, r) => n + r.wins, 0)).toBe(100);
      expect(stored?.snapshot).toEqual({ counter: 100 });
      expect(stored?.version).toBe(101);
    });
  });
});
