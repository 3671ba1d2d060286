import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StaleWriteError, StoreError, type LeaseRequest, type PostEnvelope, type Store } from '../../src/adapters/store.js';
import { postIdForKey } from '../../src/engine/post-id.js';
import { ACCOUNT, newPost, OTHER_ACCOUNT } from './fixtures/new-post.js';

/** What a conformance run needs from an adapter, made fresh for every test. */
export interface StoreUnderTest {
  readonly store: Store;
  /** Removes whatever the store left behind (a temp dir, a schema). */
  readonly cleanup?: () => Promise<void>;
  /** Replaces a post's stored form with `raw`, as a disk or a bad writer could; enables the corrupt/unknown-version tests. */
  readonly corrupt?: (postId: string, raw: string) => Promise<void>;
}

/** `post` moved on to the next step, as the engine would write it. */
function progressed(post: PostEnvelope, state: string, at: number): PostEnvelope {
  return { ...post, state, updatedAt: at, snapshot: { status: 'active', value: state, context: { step: state } } };
}

/** `post` published, as the engine would write it. */
function published(post: PostEnvelope, at: number): PostEnvelope {
  return { ...post, status: 'published', state: 'published', wakeAt: undefined, updatedAt: at, result: { outcome: 'published', mediaId: '9000' } };
}

const lease = (owner: string, now: number, until: number, takeOver?: LeaseRequest['takeOver']): LeaseRequest => ({ owner, now, until, takeOver });

/** Waits for a promise that must reject, and returns its reason. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but it resolved');
}

/**
 * The behaviour every {@link Store} adapter must have (memory, file,
 * PostgreSQL): one `describe` that uses only the Store interface, plus the
 * optional `corrupt` hook for the corrupt / unknown-version tests (skipped,
 * visibly, for an adapter without one).
 */
export function storeConformance(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`${name} store conformance`, () => {
    let subject: StoreUnderTest;
    let store: Store;

    beforeEach(async () => {
      subject = await make();
      store = subject.store;
    });
    afterEach(async () => {
      await store.close();
      await subject.cleanup?.();
    });

    describe('create and get', () => {
      it('create then get round-trips every field', async () => {
        const post = newPost('p1', { machine: 'stories', lease: { owner: 'w1', until: 9_000 }, updatedAt: 1_500 });
        await store.create(post);
        expect(await store.get('p1')).toEqual({ ...post, v: 1, version: 1 });
      });

      it('create assigns version 1 and returns the stored post', async () => {
        const result = await store.create(newPost('p1'));
        expect(result.created).toBe(true);
        expect(result.post.version).toBe(1);
        expect(result.post.v).toBe(1);
        expect(result.post).toEqual(await store.get('p1'));
      });

      it('a post without an idempotency key is stored too', async () => {
        await store.create(newPost('p1', { key: undefined }));
        expect((await store.get('p1'))?.key).toBeUndefined();
      });

      it('create with a taken key returns the existing post and writes nothing', async () => {
        const first = await store.create(newPost('p1', { key: 'k' }));
        const second = await store.create(newPost('p2', { key: 'k', state: 'other' }));
        expect(second).toEqual({ created: false, post: first.post });
        expect(await store.get('p2')).toBeUndefined();
        expect((await store.listAll()).posts.map((p) => p.postId)).toEqual(['p1']);
      });

      it('20 concurrent creates with one key make exactly one post', async () => {
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.create(newPost(`p${i}`, { key: 'k' }))));
        expect(results.filter((r) => r.created)).toHaveLength(1);
        const winner = results.find((r) => r.created)?.post.postId;
        expect(new Set(results.map((r) => r.post.postId))).toEqual(new Set([winner]));
        expect((await store.listAll()).posts.map((p) => p.postId)).toEqual([winner]);
      });

      it('create with a post id already in use is refused with StaleWriteError and writes nothing', async () => {
        await store.create(newPost('p1', { key: 'k1' }));
        const error = await rejection(store.create(newPost('p1', { key: 'k2', state: 'other' })));
        expect(error).toBeInstanceOf(StaleWriteError);
        expect(error).toMatchObject({ kind: 'stale-write', postId: 'p1', expectedVersion: 0, actualVersion: 1 });
        expect((await store.get('p1'))?.state).toBe('preparing');
        expect(await store.findByKey('k2')).toBeUndefined();
      });

      it('get of an absent post is undefined', async () => {
        expect(await store.get('nope')).toBeUndefined();
      });

      it('findByKey finds the post holding a key, and undefined for a free key', async () => {
        await store.create(newPost('p1', { key: 'k1' }));
        await store.create(newPost('p2', { key: 'k2' }));
        expect((await store.findByKey('k2'))?.postId).toBe('p2');
        expect(await store.findByKey('k3')).toBeUndefined();
      });
    });

    describe('put (compare-and-set)', () => {
      it('put with the right version bumps it and stores the post', async () => {
        const { post } = await store.create(newPost('p1'));
        const next = await store.put(progressed(post, 'publishing', 2_000), 1);
        expect(next.version).toBe(2);
        expect(next.state).toBe('publishing');
        expect(await store.get('p1')).toEqual(next);
      });

      it('put with a stale version is refused with StaleWriteError and changes nothing', async () => {
        const { post } = await store.create(newPost('p1'));
        const v2 = await store.put(progressed(post, 'publishing', 2_000), 1);
        const error = await rejection(store.put(progressed(post, 'verifying', 3_000), 1));
        expect(error).toBeInstanceOf(StaleWriteError);
        expect(error).toMatchObject({ kind: 'stale-write', postId: 'p1', expectedVersion: 1, actualVersion: 2 });
        expect(await store.get('p1')).toEqual(v2);
      });

      it('put of an absent post is refused with StaleWriteError', async () => {
        const { post } = await store.create(newPost('p1'));
        const error = await rejection(store.put({ ...post, postId: 'p2' }, 1));
        expect(error).toBeInstanceOf(StaleWriteError);
        expect(error).toMatchObject({ postId: 'p2', actualVersion: undefined });
        expect(await store.get('p2')).toBeUndefined();
      });

      it('of two concurrent puts with the same expected version exactly one wins', async () => {
        const { post } = await store.create(newPost('p1'));
        const outcomes = await Promise.allSettled([store.put(progressed(post, 'a', 2_000), 1), store.put(progressed(post, 'b', 2_000), 1)]);
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o) => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]?.reason).toBeInstanceOf(StaleWriteError);
        const stored = await store.get('p1');
        expect(stored?.version).toBe(2);
        expect(stored).toEqual(won[0]?.value);
      });

      it('put keeps the idempotency key given at create', async () => {
        const { post } = await store.create(newPost('p1', { key: 'k1' }));
        await store.put({ ...post, key: 'k2' }, 1);
        expect((await store.get('p1'))?.key).toBe('k1');
        expect((await store.findByKey('k1'))?.postId).toBe('p1');
        expect(await store.findByKey('k2')).toBeUndefined();
      });

      it('a finished post keeps its key, result, state and timestamps', async () => {
        const { post } = await store.create(newPost('p1', { key: 'k1' }));
        await store.put(published(post, 4_000), 1);
        expect(await store.get('p1')).toMatchObject({
          key: 'k1',
          status: 'published',
          state: 'published',
          result: { outcome: 'published', mediaId: '9000' },
          createdAt: 1_000,
          updatedAt: 4_000,
          version: 2,
        });
      });
    });

    describe('listing', () => {
      it('listUnfinished excludes finished posts and listAll includes them', async () => {
        const a = await store.create(newPost('a'));
        await store.create(newPost('b', { createdAt: 2_000 }));
        const c = await store.create(newPost('c', { createdAt: 3_000 }));
        await store.put(published(a.post, 4_000), 1);
        await store.put({ ...c.post, status: 'failed', state: 'failed', result: { outcome: 'failed', error: { code: 100 } } }, 1);
        const unfinished = await store.listUnfinished();
        const all = await store.listAll();
        expect(unfinished.posts.map((p) => p.postId)).toEqual(['b']);
        expect(all.posts.map((p) => p.postId).sort()).toEqual(['a', 'b', 'c']);
        expect(unfinished.problems).toEqual([]);
        expect(all.problems).toEqual([]);
      });

      it('listing an empty store gives no posts and no problems', async () => {
        expect(await store.listAll()).toEqual({ posts: [], problems: [] });
        expect(await store.listUnfinished()).toEqual({ posts: [], problems: [] });
      });

      const damaged = [
        { what: 'a corrupt post', kind: 'corrupt', raw: '{"v":1,"postId":"bad","acc' },
        { what: 'an unknown-version post', kind: 'unknown-version', raw: JSON.stringify({ ...newPost('bad'), v: 2, version: 1 }) },
      ] as const;
      for (const { what, kind, raw } of damaged) {
        it(`${what} is reported as a problem while the others list fine`, async (ctx) => {
          if (!subject.corrupt) ctx.skip(`the ${name} adapter has no corrupt hook`);
          await store.create(newPost('good1'));
          await store.create(newPost('bad'));
          await store.create(newPost('good2'));
          await subject.corrupt?.('bad', raw);
          for (const listing of [await store.listUnfinished(), await store.listAll()]) {
            expect(listing.posts.map((p) => p.postId).sort()).toEqual(['good1', 'good2']);
            expect(listing.problems).toHaveLength(1);
            expect(listing.problems[0]?.postId).toBe('bad');
            expect(listing.problems[0]?.error).toBeInstanceOf(StoreError);
            expect(listing.problems[0]?.error.kind).toBe(kind);
          }
        });

        it(`${what} with an idempotency key is reported with its key, named in the message`, async (ctx) => {
          if (!subject.corrupt) ctx.skip(`the ${name} adapter has no corrupt hook`);
          const postId = postIdForKey('launch "day"');
          await store.create(newPost(postId, { key: 'launch "day"' }));
          await store.create(newPost('unkeyed', { key: undefined }));
          await subject.corrupt?.(postId, raw.replaceAll('"bad"', JSON.stringify(postId)));
          await subject.corrupt?.('unkeyed', raw.replaceAll('"bad"', '"unkeyed"'));
          const { problems } = await store.listAll();
          expect(problems.map((p) => [p.postId, p.key, p.error.kind])).toEqual([
            [postId, 'launch "day"', kind],
            ['unkeyed', undefined, kind],
          ]);
          expect(problems[0]?.error.message).toContain(`post "launch \\"day\\"" (${postId})`);
          expect(problems[1]?.error.message).toMatch(/^post unkeyed /);
        });

        it(`get of ${what} throws StoreError with kind '${kind}'`, async (ctx) => {
          if (!subject.corrupt) ctx.skip(`the ${name} adapter has no corrupt hook`);
          await store.create(newPost('bad'));
          await subject.corrupt?.('bad', raw);
          const error = await rejection(store.get('bad'));
          expect(error).toBeInstanceOf(StoreError);
          expect(error).toMatchObject({ kind, postId: 'bad' });
        });
      }
    });

    describe('leases', () => {
      it('lease on a free post grants it and bumps the version', async () => {
        await store.create(newPost('p1'));
        const leased = await store.lease('p1', lease('w1', 1_000, 31_000));
        expect(leased?.lease).toEqual({ owner: 'w1', until: 31_000 });
        expect(leased?.version).toBe(2);
        expect(await store.get('p1')).toEqual(leased);
      });

      it("lease is refused while another owner's lease is live", async () => {
        await store.create(newPost('p1'));
        const held = await store.lease('p1', lease('w1', 1_000, 31_000));
        expect(await store.lease('p1', lease('w2', 30_999, 60_000))).toBeUndefined();
        expect(await store.get('p1')).toEqual(held);
      });

      it("lease is granted once the other owner's lease has expired", async () => {
        await store.create(newPost('p1'));
        await store.lease('p1', lease('w1', 1_000, 31_000));
        const taken = await store.lease('p1', lease('w2', 31_000, 61_000));
        expect(taken?.lease).toEqual({ owner: 'w2', until: 61_000 });
        expect(taken?.version).toBe(3);
      });

      it('the same owner renews its live lease', async () => {
        await store.create(newPost('p1'));
        await store.lease('p1', lease('w1', 1_000, 31_000));
        const renewed = await store.lease('p1', lease('w1', 20_000, 50_000));
        expect(renewed?.lease).toEqual({ owner: 'w1', until: 50_000 });
        expect(renewed?.version).toBe(3);
      });

      it('a takeOver callback that says yes steals a live lease; one that says no does not', async () => {
        await store.create(newPost('p1'));
        await store.lease('p1', lease('w1', 1_000, 31_000));
        const seen: unknown[] = [];
        expect(await store.lease('p1', lease('w2', 2_000, 32_000, (held) => (seen.push(held), false)))).toBeUndefined();
        const stolen = await store.lease('p1', lease('w2', 2_000, 32_000, () => true));
        expect(seen).toEqual([{ owner: 'w1', until: 31_000 }]);
        expect(stolen?.lease).toEqual({ owner: 'w2', until: 32_000 });
      });

      it('lease of an absent post is undefined', async () => {
        expect(await store.lease('nope', lease('w1', 1_000, 31_000))).toBeUndefined();
      });

      it("lease and release bump the version, so a stale holder's put is refused (fencing)", async () => {
        await store.create(newPost('p1'));
        const mine = await store.lease('p1', lease('w1', 1_000, 31_000));
        if (!mine) throw new Error('not leased');
        await store.lease('p1', lease('w2', 40_000, 70_000)); // w1's lease ran out while it was paused
        const error = await rejection(store.put(progressed(mine, 'publishing', 41_000), mine.version));
        expect(error).toBeInstanceOf(StaleWriteError);
        await store.release('p1', 'w2');
        const released = await store.get('p1');
        expect(released?.version).toBe(4);
        expect(released?.lease).toBeUndefined();
      });

      it('release by a non-owner does nothing', async () => {
        await store.create(newPost('p1'));
        const held = await store.lease('p1', lease('w1', 1_000, 31_000));
        await store.release('p1', 'w2');
        expect(await store.get('p1')).toEqual(held);
      });

      it('release of an absent post does nothing', async () => {
        await expect(store.release('nope', 'w1')).resolves.toBeUndefined();
        expect(await store.get('nope')).toBeUndefined();
      });
    });

    describe('claiming due posts (workers)', () => {
      const claim = (owner: string, now: number, limit = 10) => store.claimDue({ owner, now, until: now + 60_000, limit });

      it('claims the due, free, active posts, earliest first, and leases them', async () => {
        await store.create(newPost('late', { key: undefined, wakeAt: 2_000, lease: undefined }));
        await store.create(newPost('now', { key: undefined, wakeAt: undefined, lease: undefined }));
        await store.create(newPost('later', { key: undefined, wakeAt: 50_000, lease: undefined }));
        await store.create(newPost('done', { key: undefined, wakeAt: undefined, status: 'published', lease: undefined }));
        const claimed = await claim('w1', 10_000);
        expect(claimed.map((p) => p.postId)).toEqual(['now', 'late']);
        expect(claimed.every((p) => p.lease?.owner === 'w1' && p.version === 2)).toBe(true);
        expect((await store.get('later'))?.lease).toBeUndefined();
      });

      it('skips posts leased by another live worker, and takes them once the lease has expired', async () => {
        await store.create(newPost('p', { key: undefined, wakeAt: undefined, lease: { owner: 'w2', until: 20_000 } }));
        expect(await claim('w1', 10_000)).toEqual([]);
        expect((await claim('w1', 20_000)).map((p) => p.postId)).toEqual(['p']);
      });

      it('never claims a post the requester already holds under a live lease (it is working on it)', async () => {
        await store.create(newPost('mine', { key: undefined, wakeAt: undefined, lease: { owner: 'w1', until: 20_000 } }));
        expect(await claim('w1', 10_000)).toEqual([]);
        expect((await store.get('mine'))?.version).toBe(1);
      });

      it('claims only posts of the accounts asked for, and nextDueAt looks at those alone', async () => {
        await store.create(newPost('mine', { key: undefined, wakeAt: undefined, lease: undefined }));
        await store.create(newPost('theirs', { key: undefined, wakeAt: 1_000, lease: undefined, account: OTHER_ACCOUNT }));
        const claimed = await store.claimDue({ owner: 'w1', now: 10_000, until: 70_000, limit: 10, accounts: [OTHER_ACCOUNT] });
        expect(claimed.map((p) => p.postId)).toEqual(['theirs']);
        expect(await store.nextDueAt(10_000, [OTHER_ACCOUNT])).toBe(70_000);
        expect(await store.nextDueAt(10_000, ['17841400000000999'])).toBeUndefined();
      });

      it('claims at most `limit` posts', async () => {
        for (const id of ['a', 'b', 'c']) await store.create(newPost(id, { key: undefined, wakeAt: undefined, lease: undefined }));
        expect(await claim('w1', 10_000, 2)).toHaveLength(2);
        expect(await claim('w2', 10_000, 2)).toHaveLength(1);
      });

      it('gives each post to exactly one of several workers claiming at once', async () => {
        for (let i = 0; i < 12; i++) await store.create(newPost(`p${i}`, { key: undefined, wakeAt: undefined, lease: undefined }));
        const rounds = await Promise.all(['w1', 'w2', 'w3', 'w4'].map((w) => claim(w, 10_000, 12)));
        const ids = rounds.flat().map((p) => p.postId);
        expect(ids).toHaveLength(12);
        expect(new Set(ids).size).toBe(12);
      });

      it('nextDueAt says when the next post becomes claimable', async () => {
        expect(await store.nextDueAt(10_000)).toBeUndefined();
        await store.create(newPost('soon', { key: undefined, wakeAt: 30_000, lease: undefined }));
        await store.create(newPost('held', { key: undefined, wakeAt: undefined, lease: { owner: 'w2', until: 25_000 } }));
        expect(await store.nextDueAt(10_000)).toBe(25_000);
        await store.create(newPost('ready', { key: undefined, wakeAt: 5_000, lease: undefined }));
        expect(await store.nextDueAt(10_000)).toBe(10_000);
      });
    });

    describe('publish ledger', () => {
      it('publishesSince filters by account and time, oldest first', async () => {
        await store.recordPublish({ account: ACCOUNT, postId: 'p3', at: 3_000 });
        await store.recordPublish({ account: ACCOUNT, postId: 'p1', at: 1_000 });
        await store.recordPublish({ account: OTHER_ACCOUNT, postId: 'q1', at: 2_500 });
        await store.recordPublish({ account: ACCOUNT, postId: 'p2', at: 2_000 });
        expect(await store.publishesSince(ACCOUNT, 2_000)).toEqual([
          { account: ACCOUNT, postId: 'p2', at: 2_000 },
          { account: ACCOUNT, postId: 'p3', at: 3_000 },
        ]);
        expect(await store.publishesSince(OTHER_ACCOUNT, 0)).toEqual([{ account: OTHER_ACCOUNT, postId: 'q1', at: 2_500 }]);
        expect(await store.publishesSince('17841400000000003', 0)).toEqual([]);
      });
    });

    describe('isolation', () => {
      it('returned envelopes are copies: mutating one does not change the store', async () => {
        const created = await store.create(newPost('p1'));
        const got = await store.get('p1');
        const listed = (await store.listAll()).posts[0];
        for (const post of [created.post, got, listed]) {
          if (!post) throw new Error('missing');
          post.state = 'mutated';
          (post.snapshot as { context: { attempts: number[] } }).context.attempts.push(99);
        }
        const stored = await store.get('p1');
        expect(stored?.state).toBe('preparing');
        expect(stored?.snapshot).toEqual(newPost('p1').snapshot);
      });

      it('mutating what was passed to create or put does not change the store', async () => {
        const input = newPost('p1');
        const { post } = await store.create(input);
        (input.snapshot as { context: { attempts: number[] } }).context.attempts.push(99);
        const next = progressed(post, 'publishing', 2_000);
        await store.put(next, 1);
        next.state = 'mutated';
        (next.snapshot as { context: { step: string } }).context.step = 'mutated';
        const stored = await store.get('p1');
        expect(stored?.state).toBe('publishing');
        expect(stored?.snapshot).toEqual({ status: 'active', value: 'publishing', context: { step: 'publishing' } });
      });
    });
  });
}
