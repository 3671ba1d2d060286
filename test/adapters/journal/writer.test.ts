import { appendFile, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PostEnvelope } from '../../../src/adapters/envelope.js';
import { decodeFrames } from '../../../src/adapters/fs/journal-frame.js';
import { journalIndex } from '../../../src/adapters/fs/journal-index.js';
import { journalReader } from '../../../src/adapters/fs/journal-reader.js';
import { journalWriter, type JournalWriter, type JournalWriterOptions } from '../../../src/adapters/fs/journal-writer.js';
import { syncRounds, type Durability } from '../../../src/adapters/fs/sync-rounds.js';

const post = (postId: string, version: number, extra: Partial<PostEnvelope> = {}): PostEnvelope => ({ v: 2, postId, account: 'a', machine: 'post', status: 'active', state: `s${version}`, version, createdAt: 1, updatedAt: 1, ...extra });

/** A durability whose file syncs wait until the test lets them through, counting them. */
function heldDurability(): Durability & { syncs: number; hold(): void; release(): void; held: boolean } {
  const inner = syncRounds();
  let open: (() => void) | undefined;
  let gate = Promise.resolve();
  const state = {
    syncs: 0,
    held: false,
    async file(fd: number, data?: boolean) {
      state.syncs += 1;
      await gate;
      await inner.file(fd, data);
    },
    dir: (path: string) => inner.dir(path),
    hold() {
      state.held = true;
      gate = new Promise((resolve) => (open = resolve));
    },
    release() {
      state.held = false;
      open?.();
    },
  };
  return state;
}

describe('journal writer and reader', () => {
  const dirs: string[] = [];
  const writers: JournalWriter[] = [];
  const fresh = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'igflow-journal-'));
    dirs.push(dir);
    return dir;
  };
  const writerIn = (dir: string, options: Partial<JournalWriterOptions> = {}): JournalWriter => {
    const writer = journalWriter(dir, { durability: syncRounds(), syncPostFiles: (ids) => Promise.resolve(ids), ...options });
    writers.push(writer);
    return writer;
  };
  afterEach(async () => {
    await Promise.all(writers.splice(0).map((w) => w.close()));
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  const files = async (dir: string): Promise<string[]> => (await readdir(dir)).filter((n) => n.endsWith('.log'));
  const framesIn = async (dir: string): Promise<number> => {
    const [name] = await files(dir);
    return decodeFrames(await readFile(join(dir, name ?? ''))).payloads.length;
  };

  it('group commit: appends made while a frame is on its way share the next frame and its one fsync', async () => {
    const dir = await fresh();
    const durability = heldDurability();
    const writer = writerIn(dir, { durability });
    const first = writer.append(post('p0', 1), () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    durability.hold();
    const second = writer.append(post('p1', 1), () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const rest = Array.from({ length: 30 }, (_, i) => writer.append(post(`q${i}`, 1), () => undefined));
    durability.release();
    await Promise.all([first, second, ...rest]);
    expect(durability.syncs).toBe(3);
    expect(await framesIn(dir)).toBe(4); // the header, then [p0], [p1], [q0 … q29]
    expect(writer.livePostIds()).toHaveLength(32);
  });

  it('an append resolves only once its frame is fsynced, and only then is its record live', async () => {
    const dir = await fresh();
    const durability = heldDurability();
    const writer = writerIn(dir, { durability });
    durability.hold();
    let resolved = false;
    const append = writer.append(post('p1', 1), () => undefined).then(() => (resolved = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(durability.syncs).toBe(1);
    expect(resolved).toBe(false);
    expect(writer.live('p1')).toBeUndefined();
    durability.release();
    await append;
    expect(writer.live('p1')).toMatchObject({ postId: 'p1', version: 1 });
  });

  it('an append whose check fails is not written and rejects; the others of its frame are', async () => {
    const dir = await fresh();
    const writer = writerIn(dir);
    const refused = writer.append(post('p1', 1), () => {
      throw new Error('lock lost');
    });
    const kept = writer.append(post('p2', 1), () => undefined);
    await expect(refused).rejects.toThrow('lock lost');
    await kept;
    const reader = journalReader(dir, (await files(dir))[0] ?? '');
    await reader.readNew();
    expect([...reader.posts.keys()]).toEqual(['p2']);
  });

  it('live copies are the caller’s to change', async () => {
    const writer = writerIn(await fresh());
    await writer.append(post('p1', 1, { snapshot: { n: 1 } }), () => undefined);
    const copy = writer.live('p1') as PostEnvelope;
    (copy.snapshot as { n: number }).n = 99;
    expect(writer.live('p1')?.snapshot).toEqual({ n: 1 });
  });

  it('another reader sees every acknowledged record, newest version per post, incrementally', async () => {
    const dir = await fresh();
    const writer = writerIn(dir);
    const index = journalIndex(dir, writerIn(dir));
    await writer.append(post('p1', 1), () => undefined);
    await index.refresh();
    expect(index.entry('p1')).toMatchObject({ post: { version: 1 } });
    await Promise.all([writer.append(post('p1', 2), () => undefined), writer.append(post('p2', 1, { key: 'k2' }), () => undefined)]);
    await index.refresh();
    expect(index.entry('p1')).toMatchObject({ post: { version: 2, state: 's2' } });
    expect(index.postIdOfKey('k2')).toBe('p2');
    expect([...index.postIds()].sort()).toEqual(['p1', 'p2']);
  });

  it('a reader ignores a torn tail, and reads the frame once it is whole', async () => {
    const dir = await fresh();
    const writer = writerIn(dir);
    await writer.append(post('p1', 1), () => undefined);
    const [name] = await files(dir);
    const path = join(dir, name ?? '');
    const whole = await readFile(path);
    await writer.append(post('p1', 2), () => undefined);
    const grown = await readFile(path);
    await writeFile(path, grown.subarray(0, grown.length - 10));
    const reader = journalReader(dir, name ?? '');
    await reader.readNew();
    expect(reader.posts.get('p1')).toMatchObject({ post: { version: 1 } });
    await appendFile(path, grown.subarray(grown.length - 10));
    await reader.readNew();
    expect(reader.posts.get('p1')).toMatchObject({ post: { version: 2 } });
    await truncate(path, whole.length);
  });

  it('a reader refuses a journal damaged in its middle, every time after', async () => {
    const dir = await fresh();
    const writer = writerIn(dir);
    await writer.append(post('p1', 1), () => undefined);
    await writer.append(post('p1', 2), () => undefined);
    await writer.append(post('p1', 3), () => undefined);
    const [name] = await files(dir);
    const path = join(dir, name ?? '');
    const bytes = await readFile(path);
    const at = bytes.indexOf('"s2"');
    bytes.write('"x2"', at);
    await writeFile(path, bytes);
    const reader = journalReader(dir, name ?? '');
    await expect(reader.readNew()).rejects.toThrow(/journal .* is damaged/);
    await expect(reader.readNew()).rejects.toThrow(/journal .* is damaged/);
    expect(reader.posts.get('p1')).toMatchObject({ post: { version: 1 } });
  });

  it('rotation carries the live records into a new file and removes the old one', async () => {
    const dir = await fresh();
    const writer = writerIn(dir, { rotateBytes: 2_000 });
    for (let v = 1; v <= 20; v++) await writer.append(post(`p${v % 3}`, v, { snapshot: 'x'.repeat(200) }), () => undefined);
    const names = await files(dir);
    expect(names.length).toBeLessThanOrEqual(2);
    const index = journalIndex(dir, writerIn(dir));
    await index.refresh();
    expect([0, 1, 2].map((n) => index.entry(`p${n}`))).toMatchObject([{ post: { version: 18 } }, { post: { version: 19 } }, { post: { version: 20 } }]);
  });

  it('a record carried into a new file is not entered again when its post was filed while it was on its way', async () => {
    const dir = await fresh();
    const inner = syncRounds();
    let syncs = 0;
    let release: () => void = () => undefined;
    let reached: () => void = () => undefined;
    const carriedFrameOnItsWay = new Promise<void>((resolve) => (reached = resolve));
    const durability: Durability = {
      async file(fd, data) {
        syncs += 1;
        if (syncs === 2) {
          // the frame of the carried record: held until the post has been filed
          reached();
          await new Promise<void>((resolve) => (release = resolve));
        }
        await inner.file(fd, data);
      },
      dir: (path) => inner.dir(path),
    };
    const writer = writerIn(dir, { durability, rotateBytes: 100 });
    await writer.append(post('p1', 1, { snapshot: 'x'.repeat(200) }), () => undefined);
    await carriedFrameOnItsWay;
    const filed = writer.filed('p1', 1, true);
    release();
    await filed;
    expect(writer.livePostIds()).toEqual([]);
    expect(await files(dir)).toEqual([]);
  });

  it('a post filed durably leaves the journal, and a journal with nothing live is removed', async () => {
    const dir = await fresh();
    const writer = writerIn(dir);
    await writer.append(post('p1', 1), () => undefined);
    await writer.append(post('p2', 1), () => undefined);
    expect(await files(dir)).toHaveLength(1);
    await writer.filed('p1', 1, true);
    expect(writer.livePostIds()).toEqual(['p2']);
    await writer.filed('p2', 1, true);
    expect(await files(dir)).toEqual([]);
  });

  it('a post filed without fsync keeps its record until its post file is fsynced', async () => {
    const dir = await fresh();
    const synced: string[][] = [];
    const writer = writerIn(dir, { syncAfterMs: 60_000, syncPostFiles: (ids) => (synced.push([...ids]), Promise.resolve(ids)) });
    await writer.append(post('p1', 1), () => undefined);
    await writer.append(post('p2', 1), () => undefined);
    await writer.filed('p1', 1, false);
    expect(synced).toEqual([]);
    expect(await files(dir)).toHaveLength(1);
    expect(writer.covers('p2', 1)).toBe(true);
    await writer.filed('p2', 1, false); // nothing live any more: the pending files are fsynced at once, the journal goes
    expect(synced.flat().sort()).toEqual(['p1', 'p2']);
    expect(await files(dir)).toEqual([]);
  });
});
