import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LeaseLostError } from '../../../src/adapters/store-errors.js';
import type { Claim, Store } from '../../../src/adapters/store.js';
import { cancelPost } from '../../../src/manage/cancel.js';
import { VirtualClock } from '../../../src/time/virtual-clock.js';
import { ACCOUNT, newPost, OTHER_ACCOUNT, published } from '../fixtures/new-post.js';
import { rejection, type StoreUnderTest } from './subject.js';

/**
 * What managing posts needs from every adapter (issue 17): listings
 * filtered by state, account, key and publish time; the publish time and
 * the publishing mark stored like any field; a cancel as one
 * compare-and-set write that a holder's next write cannot overwrite, and
 * that races a holder's pre-publish checkpoint with exactly one winner.
 */
export function manageConformance(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`${name} store: manage (list, cancel)`, () => {
    let subject: StoreUnderTest;
    let store: Store;
    const clock = new VirtualClock(50_000);
    beforeEach(async () => {
      subject = await make();
      store = subject.store;
    });
    afterEach(async () => {
      await store.close();
      await subject.cleanup?.();
    });

    const claimOf = async (postId: string, owner = 'holder'): Promise<Claim> => {
      const [claim] = await store.queue.claim({ owner, until: 1_000_000, now: 10_000, limit: 1, postIds: [postId] });
      if (claim === undefined) throw new Error(`could not claim ${postId}`);
      return claim;
    };

    it('stores publishAt and publishingSince like any field', async () => {
      await store.posts.create(newPost('p1', { publishAt: 7_200_000, publishingSince: 3_000 }));
      expect(await store.posts.get('p1')).toMatchObject({ publishAt: 7_200_000, publishingSince: 3_000 });
      const claim = await claimOf('p1');
      await store.queue.save(claim, { state: 'publishing', publishingSince: 4_000 });
      expect(await store.posts.get('p1')).toMatchObject({ publishAt: 7_200_000, publishingSince: 4_000 });
    });

    it('lists by state, account, key and publish time, oldest first', async () => {
      await store.posts.create(newPost('a', { state: 'scheduled', publishAt: 10_000, createdAt: 1 }));
      await store.posts.create(newPost('b', { state: 'scheduled', publishAt: 20_000, createdAt: 2, account: OTHER_ACCOUNT }));
      await store.posts.create(newPost('c', { state: 'preparing', createdAt: 3 }));
      const done = await store.posts.create(newPost('d', { state: 'scheduled', publishAt: 30_000, createdAt: 4 }));
      await store.posts.put(published(done.post, 5), 1);
      const ids = async (query: Parameters<Store['posts']['list']>[0]) => (await store.posts.list(query)).posts.map((p) => p.postId);
      expect(await ids({})).toEqual(['a', 'b', 'c', 'd']);
      expect(await ids({ state: 'scheduled' })).toEqual(['a', 'b']);
      expect(await ids({ state: 'published' })).toEqual(['d']);
      expect(await ids({ account: OTHER_ACCOUNT })).toEqual(['b']);
      expect(await ids({ account: ACCOUNT, state: 'scheduled' })).toEqual(['a']);
      expect(await ids({ key: 'key-c' })).toEqual(['c']);
      expect(await ids({ key: 'no-such-key' })).toEqual([]);
      expect(await ids({ from: 15_000 })).toEqual(['b', 'd']);
      expect(await ids({ to: 20_000 })).toEqual(['a']);
      expect(await ids({ from: 10_000, to: 30_000 })).toEqual(['a', 'b']);
      expect(await ids({ status: 'unfinished', from: 0 })).toEqual(['a', 'b']);
    });

    it('cancels a free post in one write: cancelled, no deadline, never claimed again', async () => {
      await store.posts.create(newPost('p1', { state: 'scheduled', wakeAt: 9_000, waitReason: 'schedule' }));
      expect(await cancelPost(store.posts, clock, 'key-p1')).toEqual({ cancelled: true, postId: 'p1', already: false, at: 50_000 });
      const stored = await store.posts.get('p1');
      expect(stored).toMatchObject({ status: 'cancelled', state: 'cancelled', version: 2, result: { outcome: 'cancelled', at: 50_000 } });
      expect(stored?.wakeAt).toBeUndefined();
      expect(await store.queue.claim({ owner: 'w', until: 1_000_000, now: 100_000, limit: 5 })).toEqual([]);
      expect(await store.queue.nextDueAt(100_000)).toBeUndefined();
      expect(await cancelPost(store.posts, clock, 'p1')).toEqual({ cancelled: true, postId: 'p1', already: true, at: 50_000 });
      expect((await store.posts.list({ state: 'cancelled' })).posts.map((p) => p.postId)).toEqual(['p1']);
    });

    it('answers unknown for no such post, too late once publishing or published', async () => {
      expect(await cancelPost(store.posts, clock, 'nothing')).toMatchObject({ cancelled: false, reason: 'unknown' });
      await store.posts.create(newPost('p1', { state: 'publishing', publishingSince: 2_000 }));
      expect(await cancelPost(store.posts, clock, 'p1')).toMatchObject({ cancelled: false, postId: 'p1', reason: 'publishing' });
      const done = await store.posts.create(newPost('p2'));
      await store.posts.put(published(done.post, 5), 1);
      expect(await cancelPost(store.posts, clock, 'p2')).toMatchObject({ cancelled: false, postId: 'p2', reason: 'published' });
      expect(await store.posts.get('p1')).toMatchObject({ status: 'active', version: 1 });
    });

    it("a cancel of a held post refuses its holder's next write, and keeps the lease where it is", async () => {
      await store.posts.create(newPost('p1'));
      const claim = await claimOf('p1');
      expect(await cancelPost(store.posts, clock, 'p1')).toMatchObject({ cancelled: true });
      expect(await rejection(store.queue.save(claim, { state: 'publishing', publishingSince: 60_000 }))).toBeInstanceOf(LeaseLostError);
      expect(await rejection(store.queue.finish(claim, { status: 'published', state: 'published', result: { outcome: 'published', mediaId: '1', containerId: 'c' } }))).toBeInstanceOf(LeaseLostError);
      expect(await store.posts.get('p1')).toMatchObject({ status: 'cancelled', lease: { owner: 'holder', token: claim.lease.token } });
    });

    it("a cancel racing the holder's pre-publish checkpoint: exactly one wins, every time", async () => {
      for (let round = 0; round < 20; round++) {
        const postId = `race-${round}`;
        await store.posts.create(newPost(postId));
        const claim = await claimOf(postId);
        const [checkpoint, cancel] = await Promise.allSettled([store.queue.save(claim, { state: 'publishing', publishingSince: 60_000 }), cancelPost(store.posts, clock, postId)]);
        if (cancel.status === 'rejected') throw cancel.reason;
        const stored = await store.posts.get(postId);
        if (checkpoint.status === 'fulfilled') {
          // the checkpoint was stored first: the publish may go, the cancel is too late
          expect(cancel.value).toMatchObject({ cancelled: false, reason: 'publishing' });
          expect(stored).toMatchObject({ status: 'active', state: 'publishing', publishingSince: 60_000 });
        } else {
          expect(checkpoint.reason).toBeInstanceOf(LeaseLostError);
          expect(cancel.value).toMatchObject({ cancelled: true, already: false });
          expect(stored).toMatchObject({ status: 'cancelled' });
          expect(stored?.publishingSince).toBeUndefined();
        }
      }
    });
  });
}
