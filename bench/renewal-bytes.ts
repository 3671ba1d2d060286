/**
 * How many bytes one lease renewal writes, for a carousel of eight items
 * caught mid-way (its children made, two videos processing; captured from
 * the engine before the store's split, bench/fixtures/carousel-midway.json,
 * an envelope of format 1): `queue.renew` of the file store, against a
 * renewal that rewrites the whole envelope, as the file store did before
 * leases got their own file (its `lease()` wrote the post file, lease
 * inside, under the post's lock). Bytes are counted by the kernel, in
 * /proc/self/io (so Linux only): `wchar`, every byte this process passed
 * to a write system call (temp, lease and lock files, and about 8 bytes
 * per file system call that libuv's thread pool writes to an eventfd to
 * wake the event loop), and `write_bytes` less `cancelled_write_bytes`,
 * what this process sent to the block device (whole 4 KB pages, counted
 * when dirtied, less those of files removed before they were written back,
 * such as lock files; the fsyncs make every renewal reach the disk; the
 * file system's journal is not counted).
 *
 *   npx tsx bench/renewal-bytes.ts [envelope.json]
 *
 * Knob: BENCH_RENEWALS (default 200).
 */
import { readFile } from 'node:fs/promises';
import type { NewPost } from '../src/adapters/envelope.js';
import { fileStore } from '../src/adapters/file-store.js';
import { writeFileAtomic } from '../src/adapters/fs/atomic-file.js';
import { withFileLock } from '../src/adapters/fs/file-lock.js';
import { storeLayout } from '../src/adapters/fs/store-layout.js';
import { tempDir } from './temp-dir.js';

const RENEWALS = Number(process.env.BENCH_RENEWALS ?? 200);
const OWNER = 'bench-worker';

/** What this process has written so far: to write system calls, and to the block device. */
async function bytesWritten(): Promise<{ readonly calls: number; readonly device: number }> {
  const io = await readFile('/proc/self/io', 'utf8').catch(() => {
    throw new Error('this bench counts bytes with /proc/self/io, which only Linux has');
  });
  const field = (name: string): number => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1] ?? NaN);
  return { calls: field('wchar'), device: field('write_bytes') - field('cancelled_write_bytes') };
}

/** Bytes written per call of `renewal`, over RENEWALS calls, as a line of the report. */
async function perRenewal(renewal: (i: number) => Promise<void>): Promise<string> {
  const before = await bytesWritten();
  for (let i = 1; i <= RENEWALS; i++) await renewal(i);
  const after = await bytesWritten();
  return `${((after.calls - before.calls) / RENEWALS).toFixed(0).padStart(6)} (to the device: ${((after.device - before.device) / RENEWALS).toFixed(0)})`;
}

/** The captured envelope as a post to create now: of the current format, without version or lease. */
async function capturedPost(path: string): Promise<NewPost> {
  const { v: _v, version: _version, lease: _lease, ...rest } = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  const spec = (rest.snapshot as { context?: { spec?: unknown } } | undefined)?.context?.spec;
  return { ...rest, spec } as NewPost;
}

const path = process.argv[2] ?? new URL('./fixtures/carousel-midway.json', import.meta.url).pathname;
const temp = await tempDir('renewal');
try {
  const store = fileStore(temp.dir);
  const created = await store.posts.create(await capturedPost(path), { owner: OWNER, until: 60_000 });
  const claim = created.created ? created.claim : undefined;
  if (claim === undefined) throw new Error('the post was not created and claimed');
  const { postId } = claim.post;
  const layout = storeLayout(temp.dir);
  const postBytes = (await readFile(layout.postFile(postId))).length;
  const leaseBytes = (await readFile(layout.leaseFile(postId))).length;

  const now = await perRenewal(async (i) => {
    const lost = await store.queue.renew(OWNER, [{ postId, token: claim.lease.token }], 60_000 + i);
    if (lost.length > 0) throw new Error('the lease was lost');
  });
  // the store before the split: the whole envelope, lease inside, rewritten under the post's lock
  const envelope = claim.post;
  const whole = await perRenewal((i) =>
    withFileLock(layout.lockFile(postId), { staleMs: 5_000, timeoutMs: 30_000 }, (assertLocked) =>
      writeFileAtomic(layout.postFile(`${postId}-whole`), `${JSON.stringify({ ...envelope, lease: { ...envelope.lease, until: 60_000 + i } })}\n`, assertLocked),
    ),
  );
  await store.close();
  console.log(`bytes written per lease renewal, over ${RENEWALS} renewals of one post (its post file: ${postBytes} bytes, its lease file: ${leaseBytes}):`);
  console.log(`  queue.renew (the lease file alone):              ${now}`);
  console.log(`  rewriting the envelope (the store before split): ${whole}`);
} finally {
  await temp.remove();
}
