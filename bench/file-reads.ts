/**
 * File reads on the file store's hot paths, old way and new side by side:
 *
 * - brakes: `store.brakes.read()`, which engines sharing a file store run
 *   before every Graph call, against the read it replaced (`brakes.json`
 *   read, JSON-parsed and zod-checked each time), on a file of four
 *   brakes: while nobody raises one (the common case), and right after
 *   each read the file was replaced (the worst case: a raise between any
 *   two reads; only the reads are timed).
 * - outbox: `claimDeliveries` (a deliverer's limit, 8) and `nextDeliveryAt`,
 *   what a webhook pump runs, with 2,000 undelivered entries (scaled by
 *   BENCH_SCALE): all due, and none due (a receiver down: each awaiting
 *   its retry). With `BENCH_BASELINE=<another checkout>`, that checkout's
 *   file store runs the same calls on the same directory: the before.
 *
 * Rounds interleaved and rotated; medians reported.
 * Run alone: `node --expose-gc --import tsx bench/file-reads.ts`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { fileStore } from '../src/adapters/file-store.js';
import { writeFileVisible } from '../src/adapters/fs/atomic-file.js';
import { forEachBounded } from '../src/adapters/fs/bounded-map.js';
import { BrakesFile } from '../src/adapters/fs/file-brakes.js';
import { postFileText } from '../src/adapters/fs/post-file.js';
import { readJson } from '../src/adapters/fs/small-file.js';
import { storeLayout } from '../src/adapters/fs/store-layout.js';
import type { Store } from '../src/adapters/store.js';
import { storedEnvelope } from '../src/adapters/stored-envelope.js';
import { baselineFileStore } from './baseline-store.js';
import { collectGarbage } from './gc.js';
import { rounds, scaled } from './settings.js';
import { fmt, median, rotated, times } from './stats.js';
import { reportSummary, type SummaryRow } from './summary.js';
import { printTable } from './table.js';
import { tempDir } from './temp-dir.js';

const READS = 20_000;
const MISSED_READS = 2_000;
const ENTRIES = scaled(2_000);
const LIMIT = 8;
const CALLS = 10;
const ACCOUNT = '17841400000000001';

/** Four brakes as engines raise them: the app's and three accounts'. */
const brakesText = (blockedUntil: number): string =>
  JSON.stringify(['app', 'account:1', 'account:2', 'account:3'].map((key, i) => ({ key, blockedUntil: blockedUntil + i, strikes: 1, peakPercent: 97.5, usageAt: 1_764_000_000_000 + i })));

/** Median microseconds per read of `read`, the file unchanged. */
async function timeReads(read: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < READS; i++) await read();
  return ((performance.now() - start) / READS) * 1000;
}

/** Microseconds per read of `read` when the file was replaced before each (the replacement not timed). */
async function timeMissedReads(path: string, read: () => Promise<unknown>): Promise<number> {
  let spent = 0;
  for (let i = 0; i < MISSED_READS; i++) {
    writeFileVisible(path, brakesText(2_000_000_000_000 + i));
    const start = performance.now();
    await read();
    spent += performance.now() - start;
  }
  return (spent / MISSED_READS) * 1000;
}

/** Writes `ENTRIES` finished posts and their outbox markers straight to disk, as the file store lays them out; with `retryAt`, each delivery awaits its retry then. */
async function populateOutbox(dir: string, retryAt: number | undefined): Promise<void> {
  const layout = storeLayout(dir);
  for (const sub of [layout.posts, layout.keys, layout.ledger, layout.journal, layout.outbox]) await mkdir(sub, { recursive: true });
  const ids = Array.from({ length: ENTRIES }, (_, i) => i);
  await forEachBounded(ids, 64, async (i) => {
    const postId = `out-${i.toString().padStart(6, '0')}`;
    const at = 1_000 + i;
    const result = { outcome: 'published', mediaId: `9${i}`, containerId: `c${i}` } as const;
    const post = storedEnvelope(
      { postId, key: `key-${postId}`, account: ACCOUNT, machine: 'post', status: 'published', state: 'published', result, snapshot: { status: 'done', value: 'published', context: {} }, createdAt: 500, updatedAt: at },
      4,
      { compactFinished: true },
    );
    await writeFile(layout.postFile(postId), postFileText(post));
    await writeFile(layout.outboxFile(postId), `${JSON.stringify({ postId, key: `key-${postId}`, account: ACCOUNT, status: 'published', at })}\n`);
    if (retryAt !== undefined) await writeFile(layout.deliveryFile(postId), `${JSON.stringify({ attempts: 3, nextAt: retryAt })}\n`);
  });
}

interface Variant {
  readonly name: string;
  readonly open: (dir: string) => Store;
}

const baseline = await baselineFileStore();
const variants: readonly Variant[] = [{ name: 'this checkout', open: (dir) => fileStore(dir) }, ...(baseline ? [{ name: 'baseline', open: baseline }] : [])];
const rows: SummaryRow[] = [];

console.log(`# file reads: brakes read before each Graph call (${fmt(READS)} reads), outbox scans over ${fmt(ENTRIES)} undelivered entries, ${rounds} rounds${baseline ? ', baseline checkout too' : ''}`);

// ---- brakes ----
{
  const temp = await tempDir('brakes');
  try {
    const store = fileStore(temp.dir);
    const path = storeLayout(temp.dir).brakesFile;
    const ways: Record<string, () => Promise<unknown>> = {
      'store.brakes.read()': () => store.brakes.read(),
      'read + parse + zod (before)': () => readJson(path, BrakesFile),
    };
    const names = Object.keys(ways);
    const still: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    const missed: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
    await store.brakes.raise({ key: 'warm', blockedUntil: 0, strikes: 0, peakPercent: 0, usageAt: 0 });
    writeFileVisible(path, brakesText(2_000_000_000_000));
    for (let round = 0; round < rounds + 1; round++) {
      for (const name of rotated(names, round)) {
        await collectGarbage();
        const a = await timeReads(ways[name]!);
        const b = await timeMissedReads(path, ways[name]!);
        if (round > 0) {
          still[name]!.push(a);
          missed[name]!.push(b);
        }
      }
    }
    await store.close();
    const [now, before] = names.map((n) => ({ still: median(still[n]!), missed: median(missed[n]!) }));
    printTable(
      `brakes.json of four brakes, µs per read (median of ${rounds} rounds, after a warm-up)`,
      ['read', 'unchanged file', 'reads/s', 'replaced before each read'],
      names.map((n) => [n, fmt(median(still[n]!), 2), fmt(1e6 / median(still[n]!)), fmt(median(missed[n]!), 2)]),
    );
    console.log(`unchanged: ${times(before!.still / now!.still)} faster; replaced before each read: ${times(now!.missed / before!.missed)} the time of the old read`);
    rows.push(
      { bench: 'file-reads', figure: 'brakes read, file unchanged: before ÷ now', value: `${times(before!.still / now!.still)} (${fmt(now!.still, 2)} µs vs ${fmt(before!.still, 2)} µs)`, target: '-', met: undefined },
      { bench: 'file-reads', figure: 'brakes read, file replaced each time: now ÷ before', value: `${times(now!.missed / before!.missed)} (${fmt(now!.missed, 2)} µs vs ${fmt(before!.missed, 2)} µs)`, target: '-', met: undefined },
    );
  } finally {
    await temp.remove();
  }
}

// ---- outbox ----
for (const scenario of ['all due', 'none due'] as const) {
  const temp = await tempDir('outbox');
  try {
    const retryAt = 9_000_000_000_000;
    await populateOutbox(temp.dir, scenario === 'none due' ? retryAt : undefined);
    const claims: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v.name, []]));
    const nexts: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v.name, []]));
    // each claim's leases have run out by the next call: every call sees the same entries due
    let now = 1_000_000;
    for (let round = 0; round < rounds + 1; round++) {
      for (const variant of rotated(variants, round)) {
        const store = variant.open(temp.dir);
        await collectGarbage();
        let start = performance.now();
        for (let i = 0; i < CALLS; i++) {
          now += 10;
          const got = await store.outbox.claimDeliveries({ owner: variant.name, now, until: now + 1, limit: LIMIT });
          if (got.length !== (scenario === 'all due' ? LIMIT : 0)) throw new Error(`${variant.name} claimed ${got.length} entries`);
          if (scenario === 'all due' && got[0]?.entry.postId !== 'out-000000') throw new Error(`${variant.name} claimed ${got[0]?.entry.postId} first`);
        }
        const claimMs = (performance.now() - start) / CALLS;
        start = performance.now();
        for (let i = 0; i < CALLS; i++) {
          const next = await store.outbox.nextDeliveryAt(now + 10);
          if (next !== (scenario === 'all due' ? now + 10 : retryAt)) throw new Error(`${variant.name}: next delivery at ${next}`);
        }
        const nextMs = (performance.now() - start) / CALLS;
        await store.close();
        if (round > 0) {
          claims[variant.name]!.push(claimMs);
          nexts[variant.name]!.push(nextMs);
        }
      }
    }
    printTable(
      `outbox, ${fmt(ENTRIES)} undelivered entries, ${scenario}: ms per call (median of ${rounds} rounds, after a warm-up)`,
      ['file store', `claimDeliveries (limit ${LIMIT})`, 'nextDeliveryAt'],
      variants.map((v) => [v.name, fmt(median(claims[v.name]!), 2), fmt(median(nexts[v.name]!), 2)]),
    );
    for (const v of variants) {
      rows.push({ bench: 'file-reads', figure: `outbox ${scenario}, ${fmt(ENTRIES)} entries, claim + next (${v.name})`, value: `${fmt(median(claims[v.name]!), 1)} + ${fmt(median(nexts[v.name]!), 1)} ms`, target: '-', met: undefined });
    }
    if (baseline) {
      const ratio = (median(claims.baseline!) + median(nexts.baseline!)) / (median(claims['this checkout']!) + median(nexts['this checkout']!));
      console.log(`${scenario}: a pump's claim + next ${times(ratio)} faster than the baseline's`);
    }
  } finally {
    await temp.remove();
  }
}

await reportSummary(rows);
