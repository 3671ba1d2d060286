import { mkdir, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { NewPost, PostEnvelope } from '../../src/adapters/envelope.js';
import { fileStore, type FileStoreOptions } from '../../src/adapters/file-store.js';
import { encodeFrame } from '../../src/adapters/fs/journal-frame.js';
import { envelopeJson, JOURNAL_FORMAT, recordsPayload } from '../../src/adapters/fs/journal-records.js';
import { storeLayout } from '../../src/adapters/fs/store-layout.js';
import { LeaseLostError, StoreError } from '../../src/adapters/store-errors.js';
import type { Claim, Store } from '../../src/adapters/store.js';
import { rejection } from './conformance/subject.js';
import { newPost } from './fixtures/new-post.js';
import { tempDir } from './fixtures/temp-store.js';

/** A pid no process can have (beyond Linux's pid_max): its journal is a dead process's. */
const DEAD_PID = 4_195_304;

/**
 * The file store's journal seen from outside: what another store object
 * (another process) reads while a writer holds posts, what a kill, a power
 * loss or damage leaves, and what compaction writes out.
 */
describe('file store journal', () => {
  const dirs: string[] = [];
  const stores: Store[] = [];
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
    await Promise.all(stores.splice(0).map((s) => s.close().catch(() => undefined)));
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  const journalFiles = async (dir: string): Promise<string[]> => (await readdir(storeLayout(dir).journal).catch((): string[] => [])).filter((n) => n.endsWith('.log'));
  const onDisk = async (dir: string, postId: string): Promise<Record<string, unknown>> => JSON.parse(await readFile(storeLayout(dir).postFile(postId), 'utf8')) as Record<string, unknown>;

  /** A post created claimed by `store` and saved `saves` times (states `save 1` …). */
  async function heldAndSaved(store: Store, post: NewPost, saves: number): Promise<Claim> {
    const created = await store.posts.create(post, { owner: 'w1', until: 10 ** 13 });
    if (!created.created || !created.claim) throw new Error('no claim');
    let claim = created.claim;
    for (let n = 1; n <= saves; n++) claim = await store.queue.save(claim, { state: `save ${n}`, snapshot: { n } });
    return claim;
  }

  /** Writes a journal file as a process `pid` would have (its header, then one frame per batch). */
  async function journalOf(dir: string, pid: number, batches: ReadonlyArray<readonly PostEnvelope[]>): Promise<string> {
    const path = join(storeLayout(dir).journal, `${pid}-0badc0de.1.log`);
    await mkdir(storeLayout(dir).journal, { recursive: true });
    const header = encodeFrame(Buffer.from(JSON.stringify({ journal: JOURNAL_FORMAT, pid, host: hostname() })));
    const frames = batches.map((posts) => encodeFrame(recordsPayload(posts.map((post) => ({ postId: post.postId, json: envelopeJson(post) })))));
    await writeFile(path, Buffer.concat([header, ...frames]));
    return path;
  }
  const envelope = (postId: string, version: number, extra: Partial<PostEnvelope> = {}): PostEnvelope => ({ ...newPost(postId), v: 2, version, state: `v${version}`, ...extra });

  it('a held post’s saves go to the journal, not its post file, and another store reads them at once', async () => {
    const dir = await freshDir();
    const writer = open(dir);
    await heldAndSaved(writer, newPost('p1', { key: 'k1' }), 3);
    await expect(stat(storeLayout(dir).postFile('p1'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await journalFiles(dir)).toHaveLength(1);
    const reader = open(dir);
    expect(await reader.posts.get('p1')).toMatchObject({ version: 4, state: 'save 3', snapshot: { n: 3 }, lease: { owner: 'w1' } });
    expect((await reader.posts.findByKey('k1'))?.postId).toBe('p1');
    expect((await reader.posts.list()).posts.map((p) => [p.postId, p.version])).toEqual([['p1', 4]]);
  });

  it('an edit from another store is checked against the journalled version, and the holder is then refused', async () => {
    const dir = await freshDir();
    const writer = open(dir);
    const claim = await heldAndSaved(writer, newPost('p1'), 2);
    const other = open(dir);
    const current = (await other.posts.get('p1')) as PostEnvelope;
    await expect(other.posts.put({ ...current, state: 'edited' }, 2)).rejects.toMatchObject({ kind: 'stale-write', actualVersion: 3 });
    await other.posts.put({ ...current, state: 'edited' }, 3);
    expect(await rejection(writer.queue.save(claim, { state: 'after the edit' }))).toBeInstanceOf(LeaseLostError);
    expect(await writer.posts.get('p1')).toMatchObject({ version: 4, state: 'edited', lease: claim.lease });
  });

  it('a create in another store sees a key claimed only in a journal, and returns its post', async () => {
    const dir = await freshDir();
    const writer = open(dir);
    await heldAndSaved(writer, newPost('p1', { key: 'shared' }), 1);
    await rm(storeLayout(dir).keyFile('shared')); // as if the writer died between its journal record and the key file
    const other = open(dir);
    expect(await other.posts.create(newPost('p2', { key: 'shared' }), { owner: 'w2', until: 10 ** 13 })).toMatchObject({ created: false, post: { postId: 'p1', version: 2 } });
    expect(await other.posts.get('p2')).toBeUndefined();
  });

  it('giving a post up writes its post file; closing writes out the rest and leaves no journal, as plain files an older igflow reads', async () => {
    const dir = await freshDir();
    const store = open(dir);
    const parked = await heldAndSaved(store, newPost('parked'), 2);
    await heldAndSaved(store, newPost('held', { key: 'k-held' }), 3);
    await store.queue.park(parked, { state: 'parked', wakeAt: 99_000, waitReason: 'processing' });
    expect(await onDisk(dir, 'parked')).toMatchObject({ version: 4, state: 'parked', wakeAt: 99_000 });
    expect(await journalFiles(dir)).toHaveLength(1);
    await store.close();
    expect(await journalFiles(dir)).toEqual([]);
    expect(await onDisk(dir, 'held')).toMatchObject({ version: 4, state: 'save 3', snapshot: { n: 3 }, key: 'k-held' });
    expect(JSON.parse(await readFile(storeLayout(dir).keyFile('k-held'), 'utf8'))).toEqual({ key: 'k-held', postId: 'held' });
    expect(JSON.parse(await readFile(storeLayout(dir).leaseFile('held'), 'utf8'))).toMatchObject({ owner: 'w1' });
  });

  it('a journal of a dead process is read as it is, then written out and removed by the next store that writes', async () => {
    const dir = await freshDir();
    const setup = open(dir);
    await setup.posts.create(newPost('old', { key: 'k-old' }));
    await setup.close();
    await journalOf(dir, DEAD_PID, [[envelope('old', 2)], [envelope('new', 1, { key: 'k-new' }), envelope('old', 3)]]);
    const store = open(dir);
    expect((await store.posts.list()).posts.map((p) => [p.postId, p.version, p.state])).toEqual([
      ['new', 1, 'v1'],
      ['old', 3, 'v3'],
    ]);
    expect((await store.posts.findByKey('k-new'))?.postId).toBe('new');
    await store.posts.create(newPost('trigger', { key: undefined })); // the first write starts the sweep
    await store.close();
    expect(await journalFiles(dir)).toEqual([]);
    expect(await onDisk(dir, 'old')).toMatchObject({ version: 3, state: 'v3' });
    expect(await onDisk(dir, 'new')).toMatchObject({ version: 1, key: 'k-new' });
    expect(JSON.parse(await readFile(storeLayout(dir).keyFile('k-new'), 'utf8'))).toEqual({ key: 'k-new', postId: 'new' });
  });

  it('a torn last frame (a kill mid-write) is dropped: the writes before it read back, the torn one never half', async () => {
    const dir = await freshDir();
    const path = await journalOf(dir, DEAD_PID, [[envelope('p1', 1)], [envelope('p1', 2), envelope('p2', 1)]]);
    const whole = (await stat(path)).size;
    await truncate(path, whole - 25);
    const store = open(dir);
    expect(await store.posts.list()).toEqual({ posts: [expect.objectContaining({ postId: 'p1', version: 1, state: 'v1' })], problems: [] });
  });

  it('a last frame whose checksum fails is dropped too; one in the middle stops every read and write, naming the journal', async () => {
    const dir = await freshDir();
    const path = await journalOf(dir, DEAD_PID, [[envelope('p1', 1)], [envelope('p1', 2)], [envelope('p1', 3)]]);
    const bytes = await readFile(path);
    const last = bytes.lastIndexOf('"v3"');
    await writeFile(path, Buffer.concat([bytes.subarray(0, last), Buffer.from('"x3"'), bytes.subarray(last + 4)]));
    expect(await open(dir).posts.get('p1')).toMatchObject({ version: 2 });

    const middle = bytes.indexOf('"v2"');
    await writeFile(path, Buffer.concat([bytes.subarray(0, middle), Buffer.from('"x2"'), bytes.subarray(middle + 4)]));
    const store = open(dir);
    for (const attempt of [store.posts.get('p1'), store.posts.list(), store.queue.claim({ owner: 'w', now: 0, until: 1, limit: 5 }), store.posts.create(newPost('p9'))]) {
      const error = await rejection(attempt);
      expect(error).toBeInstanceOf(StoreError);
      expect(error).toMatchObject({ kind: 'corrupt' });
      expect((error as Error).message).toContain(`${DEAD_PID}-0badc0de.1.log is damaged`);
    }
    expect(await journalFiles(dir)).toEqual([`${DEAD_PID}-0badc0de.1.log`]);
  });

  it('a post file emptied or zeroed by a power loss is read from the journal that still holds it; without one it is damage', async () => {
    const dir = await freshDir();
    const layout = storeLayout(dir);
    await journalOf(dir, DEAD_PID, [[envelope('p1', 2)]]);
    await mkdir(layout.posts, { recursive: true });
    await writeFile(layout.postFile('p1'), Buffer.alloc(300));
    await writeFile(layout.postFile('p2'), '');
    const listing = await open(dir).posts.list();
    expect(listing.posts.map((p) => [p.postId, p.version])).toEqual([['p1', 2]]);
    expect(listing.problems.map((p) => [p.postId, p.error.kind])).toEqual([['p2', 'corrupt']]);
  });

  it('an empty or zeroed lease file (what a power loss leaves of one) is no lease', async () => {
    const dir = await freshDir();
    const store = open(dir);
    await store.posts.create(newPost('p1', { wakeAt: undefined }));
    for (const torn of ['', '\0\0\0\0']) {
      await writeFile(storeLayout(dir).leaseFile('p1'), torn);
      expect((await store.posts.get('p1'))?.lease).toBeUndefined();
      const [claim] = await store.queue.claim({ owner: 'w', now: 0, until: 60_000, limit: 1 });
      expect(claim?.post.postId).toBe('p1');
      if (claim) await store.queue.release(claim);
    }
  });

  it('rotation keeps every held post’s newest record readable, and old journal files go', async () => {
    const dir = await freshDir();
    const store = open(dir, { journalRotateBytes: 4_096 });
    const claims = await Promise.all(['a', 'b', 'c'].map((id) => heldAndSaved(store, newPost(id, { snapshot: { fill: 'x'.repeat(500) } }), 1)));
    let current = claims;
    for (let round = 0; round < 10; round++) current = await Promise.all(current.map((claim) => store.queue.save(claim, { state: `round ${round}`, snapshot: { fill: 'y'.repeat(800) } })));
    expect((await journalFiles(dir)).length).toBeLessThanOrEqual(2);
    const reader = open(dir);
    expect((await reader.posts.list()).posts.map((p) => [p.postId, p.version, p.state])).toEqual(['a', 'b', 'c'].map((id) => [id, 12, 'round 9']));
  });
});
