import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryClaim, OutboxEntry, Store } from '../../../src/adapters/store.js';
import { VirtualClock } from '../../../src/time/virtual-clock.js';
import { ACCOUNT, newPost } from '../fixtures/new-post.js';
import type { StoreUnderTest } from './subject.js';

const PUBLISHED = { outcome: 'published', mediaId: '9000', containerId: 'c1' } as const;
const FAILED = {
  outcome: 'failed',
  error: { name: 'GraphError', errorClass: 'invalid-input', retryable: false, message: 'the image is too small', remedy: 'Use a bigger image.', code: 36003 },
} as const;

/** Waits (real time, bounded) until `check` holds; the follower of another store object tells what it read. */
async function until(check: () => boolean, what: string, advance?: () => void): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    advance?.();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * What every adapter's Outbox must do: an entry for every write that
 * finishes a post (none for any other), told to followers in any process,
 * and webhook deliveries leased to one deliverer at a time, kept until a
 * delivery is marked done, tried again no earlier than asked.
 */
export function outboxConformance(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`${name} store: outbox`, () => {
    let subject: StoreUnderTest;
    let store: Store;
    const others: Store[] = [];
    beforeEach(async () => {
      subject = await make();
      store = subject.store;
    });
    afterEach(async () => {
      for (const other of others.splice(0)) await other.close();
      await store.close();
      await subject.cleanup?.();
    });

    const other = (): Store => {
      if (!subject.reopen) throw new Error('the outbox conformance needs a reopen hook');
      const opened = subject.reopen();
      others.push(opened);
      return opened;
    };
    const finish = async (postId: string, at: number, result: typeof PUBLISHED | typeof FAILED = PUBLISHED, key: string | null = `key-${postId}`): Promise<void> => {
      await store.posts.create(newPost(postId, { key: key ?? undefined, wakeAt: undefined }));
      const [claim] = await store.queue.claim({ owner: 'w1', now: at, until: at + 60_000, limit: 1, postIds: [postId] });
      if (claim === undefined) throw new Error(`could not claim ${postId}`);
      await store.queue.save(claim, { state: 'polling', updatedAt: at - 1 }).then((held) => store.queue.finish(held, { status: result.outcome, state: result.outcome, result, updatedAt: at }));
    };
    const claimAll = (s: Store, owner: string, now: number): Promise<readonly DeliveryClaim[]> => s.outbox.claimDeliveries({ owner, now, until: now + 30_000, limit: 100 });

    it('a finish writes one entry, with the key, account, status, result and time; saves, parks and releases write none', async () => {
      await finish('p1', 5_000);
      await finish('p2', 6_000, FAILED, null);
      await store.posts.create(newPost('parked', { wakeAt: undefined }));
      const [claim] = await store.queue.claim({ owner: 'w1', now: 1_000, until: 60_000, limit: 1, postIds: ['parked'] });
      await store.queue.park(claim!, { state: 'waiting', wakeAt: 90_000, updatedAt: 1_000 });
      const claims = await claimAll(store, 'd1', 10_000);
      expect(claims.map((c) => c.entry).map(({ id: _id, ...entry }) => entry)).toEqual([
        { postId: 'p1', key: 'key-p1', account: ACCOUNT, status: 'published', result: PUBLISHED, at: 5_000 },
        { postId: 'p2', account: ACCOUNT, status: 'failed', result: FAILED, at: 6_000 },
      ]);
      expect(new Set(claims.map((c) => c.entry.id)).size).toBe(2);
      expect(claims.every((c) => c.attempts === 0)).toBe(true);
    });

    it('a follower in another store object is told of every finish after it started, each once', async () => {
      const clock = new VirtualClock(0);
      const follower = other();
      const told: OutboxEntry[] = [];
      const stop = await follower.outbox.follow((entry) => told.push(entry), { clock, pollMs: 10 });
      try {
        await finish('a', 1_000);
        await finish('b', 2_000, FAILED);
        await until(() => told.length >= 2, 'two entries', () => clock.advanceBy(10));
        for (let i = 0; i < 5; i++) {
          clock.advanceBy(10);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        expect(told.map((e) => [e.postId, e.status, e.result?.outcome]).sort()).toEqual([
          ['a', 'published', 'published'],
          ['b', 'failed', 'failed'],
        ]);
      } finally {
        await stop();
      }
      await finish('c', 3_000);
      clock.advanceBy(100);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(told.map((e) => e.postId)).not.toContain('c');
    });

    it('leases each entry to one deliverer at a time; a lease that ran out is handed out again', async () => {
      await finish('p1', 1_000);
      await finish('p2', 1_000);
      const [first, second] = await Promise.all([claimAll(store, 'd1', 2_000), claimAll(other(), 'd2', 2_000)]);
      expect([...first, ...second].map((c) => c.entry.postId).sort()).toEqual(['p1', 'p2']);
      expect(await claimAll(store, 'd3', 31_999)).toEqual([]);
      expect((await claimAll(store, 'd3', 32_000)).map((c) => c.entry.postId).sort()).toEqual(['p1', 'p2']);
    });

    it('hands out the oldest due entries first, no more than asked, passing over those leased or not due yet', async () => {
      for (const [postId, at] of [['a', 1_000], ['b', 2_000], ['c', 3_000], ['d', 4_000], ['e', 5_000]] as const) await finish(postId, at);
      const claimSome = (limit: number, now: number) => store.outbox.claimDeliveries({ owner: 'd1', now, until: 40_000, limit }).then((claims) => claims.map((c) => c.entry.postId));
      const [a] = await store.outbox.claimDeliveries({ owner: 'd1', now: 10_000, until: 40_000, limit: 1 });
      expect(a?.entry.postId).toBe('a');
      expect(await store.outbox.retryAt(a!, 50_000)).toBe(true);
      expect(await claimSome(2, 10_000)).toEqual(['b', 'c']);
      expect(await claimSome(1, 10_000)).toEqual(['d']);
      expect(await claimSome(5, 4_999)).toEqual([]);
      expect(await claimSome(5, 10_000)).toEqual(['e']);
      expect(await claimSome(5, 10_000)).toEqual([]);
      expect(await store.outbox.nextDeliveryAt(10_000)).toBe(40_000);
      expect(await claimSome(2, 40_000)).toEqual(['b', 'c']);
    });

    it('a delivered entry is never handed out again; a stale claim can mark nothing', async () => {
      await finish('p1', 1_000);
      const [stale] = await claimAll(store, 'd1', 2_000);
      const [fresh] = await claimAll(store, 'd2', 40_000);
      expect(await store.outbox.delivered(stale!, 40_001)).toBe(false);
      expect(await store.outbox.retryAt(stale!, 40_001)).toBe(false);
      expect(await store.outbox.delivered(fresh!, 40_002)).toBe(true);
      expect(await claimAll(store, 'd3', 10_000_000)).toEqual([]);
      expect(await store.outbox.nextDeliveryAt(50_000)).toBeUndefined();
    });

    it('a failed attempt is tried again no earlier than asked, its attempts counted', async () => {
      await finish('p1', 1_000);
      expect(await store.outbox.nextDeliveryAt(500)).toBe(1_000);
      const [claim] = await claimAll(store, 'd1', 2_000);
      expect(await store.outbox.nextDeliveryAt(2_000)).toBe(32_000);
      expect(await store.outbox.retryAt(claim!, 9_000)).toBe(true);
      expect(await store.outbox.nextDeliveryAt(2_000)).toBe(9_000);
      expect(await claimAll(store, 'd1', 8_999)).toEqual([]);
      const [again] = await claimAll(other(), 'd2', 9_000);
      expect(again).toMatchObject({ attempts: 1, entry: { postId: 'p1', id: claim!.entry.id } });
      expect(await store.outbox.retryAt(again!, 20_000)).toBe(true);
      expect((await claimAll(store, 'd1', 20_000))[0]?.attempts).toBe(2);
    });

    it('prune removes the delivered entries finished before the time, oldest first, up to the limit; a stale claim on one marks nothing', async () => {
      for (const [postId, at] of [['old1', 1_000], ['old2', 2_000], ['old3', 3_000], ['new', 9_000]] as const) await finish(postId, at);
      const claims = await claimAll(store, 'd1', 10_000);
      for (const claim of claims) expect(await store.outbox.delivered(claim, 10_001)).toBe(true);
      expect(await store.outbox.prune({ before: 9_000, limit: 2 })).toBe(2);
      expect(await store.outbox.prune({ before: 9_000, limit: 100 })).toBe(1);
      expect(await store.outbox.prune({ before: 9_000, limit: 100 })).toBe(0);
      expect(await other().outbox.prune({ before: 9_001, limit: 100 })).toBe(1);
      const old = claims.find((c) => c.entry.postId === 'old1')!;
      expect(await store.outbox.delivered(old, 20_000)).toBe(false);
      expect(await store.outbox.retryAt(old, 20_000)).toBe(false);
      expect(await claimAll(store, 'd2', 10_000_000)).toEqual([]);
      expect(await store.outbox.nextDeliveryAt(20_000)).toBeUndefined();
    });

    it('prune never removes an undelivered entry, however old: neither one never tried, nor one being retried, nor one under a live lease', async () => {
      await finish('never', 1_000);
      await finish('retried', 1_000);
      await finish('leased', 1_000);
      await finish('done', 1_000);
      const claims = await claimAll(store, 'd1', 2_000);
      const of = (postId: string) => claims.find((c) => c.entry.postId === postId)!;
      expect(await store.outbox.retryAt(of('never'), 2_000)).toBe(true);
      expect(await store.outbox.retryAt(of('retried'), 5_000_000)).toBe(true);
      expect(await store.outbox.delivered(of('done'), 2_001)).toBe(true);
      const [live] = await claimAll(store, 'd2', 2_000);
      expect(live?.entry.postId).toBe('never');
      expect(await store.outbox.prune({ before: 10_000_000_000, limit: 100 })).toBe(1);
      expect(await store.outbox.delivered(of('leased'), 2_002)).toBe(true);
      expect(await store.outbox.delivered(live!, 2_003)).toBe(true);
      const left = await claimAll(other(), 'd3', 6_000_000);
      expect(left.map((c) => [c.entry.postId, c.attempts])).toEqual([['retried', 1]]);
      expect(await store.outbox.prune({ before: 10_000_000_000, limit: 100 })).toBe(2);
    });
  });
}
