import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Lease } from '../../../src/adapters/envelope.js';
import { LeaseLostError } from '../../../src/adapters/store-errors.js';
import type { Claim, ClaimRequest, Store } from '../../../src/adapters/store.js';
import { newPost, OTHER_ACCOUNT } from '../fixtures/new-post.js';
import { rejection, type StoreUnderTest } from './subject.js';

/**
 * What every adapter's WorkQueue must do: hand each due post to one
 * worker, renew many leases in one call without touching content, and
 * check every write of a claimed post against its claim (lease token and
 * version), so a worker that lost a post is refused.
 */
export function queueConformance(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`${name} store: work queue`, () => {
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

    const request = (owner: string, now: number, extra: Partial<ClaimRequest> = {}): ClaimRequest => ({ owner, now, until: now + 60_000, limit: 10, ...extra });
    const claimOne = async (owner: string, now: number, extra: Partial<ClaimRequest> = {}): Promise<Claim> => {
      const [claim] = await store.queue.claim(request(owner, now, extra));
      if (claim === undefined) throw new Error(`${owner} claimed nothing`);
      return claim;
    };
    const leaseOf = async (postId: string): Promise<Lease | undefined> => (await store.posts.get(postId))?.lease;

    it('claims the due, free, active posts, earliest due first, each with a new token, without bumping the version', async () => {
      await store.posts.create(newPost('late', { wakeAt: 2_000 }));
      await store.posts.create(newPost('now', { wakeAt: undefined }));
      await store.posts.create(newPost('later', { wakeAt: 50_000 }));
      await store.posts.create(newPost('done', { wakeAt: undefined, status: 'published', result: { outcome: 'published', mediaId: null, containerId: 'c' } }));
      const claims = await store.queue.claim(request('w1', 10_000));
      expect(claims.map((c) => c.post.postId)).toEqual(['now', 'late']);
      expect(new Set(claims.map((c) => c.lease.token)).size).toBe(2);
      for (const claim of claims) {
        expect(claim.lease).toMatchObject({ owner: 'w1', until: 70_000 });
        expect(claim.post.lease).toEqual(claim.lease);
        expect(claim.post.version).toBe(1);
        expect(await store.posts.get(claim.post.postId)).toEqual(claim.post);
      }
      expect(await leaseOf('later')).toBeUndefined();
    });

    it('skips posts another live worker holds, takes them once the lease ran out, or at once when takeOver says so', async () => {
      await store.posts.create(newPost('p'), { owner: 'w2', until: 20_000 });
      expect(await store.queue.claim(request('w1', 10_000))).toEqual([]);
      const seen: Lease[] = [];
      expect(await store.queue.claim(request('w1', 10_000, { takeOver: (held) => (seen.push(held), false) }))).toEqual([]);
      expect(seen.map((l) => [l.owner, l.until])).toEqual([['w2', 20_000]]);
      expect((await claimOne('w1', 10_000, { takeOver: () => true })).lease.owner).toBe('w1');
      await store.posts.create(newPost('q'), { owner: 'w2', until: 20_000 });
      expect((await store.queue.claim(request('w3', 20_000, { postIds: ['q'] }))).map((c) => c.post.postId)).toEqual(['q']);
    });

    it('never hands a worker a due post it holds under a live lease; named, it may claim it again with a new token', async () => {
      const created = await store.posts.create(newPost('mine', { wakeAt: undefined }), { owner: 'w1', until: 20_000 });
      if (!created.created || created.claim === undefined) throw new Error('no claim');
      expect(await store.queue.claim(request('w1', 10_000))).toEqual([]);
      const again = await claimOne('w1', 10_000, { postIds: ['mine'] });
      expect(again.lease.token).not.toBe(created.claim.lease.token);
      expect(await rejection(store.queue.save(created.claim, { state: 'stale' }))).toBeInstanceOf(LeaseLostError);
    });

    it('claims named posts whatever their deadline, and only those', async () => {
      await store.posts.create(newPost('a', { wakeAt: 90_000 }));
      await store.posts.create(newPost('b', { wakeAt: undefined }));
      const claims = await store.queue.claim(request('w1', 10_000, { postIds: ['a', 'missing'] }));
      expect(claims.map((c) => c.post.postId)).toEqual(['a']);
      expect(await leaseOf('b')).toBeUndefined();
    });

    it('claims only posts of the accounts asked for, and nextDueAt looks at those alone', async () => {
      await store.posts.create(newPost('mine', { wakeAt: undefined }));
      await store.posts.create(newPost('theirs', { wakeAt: 1_000, account: OTHER_ACCOUNT }));
      const claims = await store.queue.claim(request('w1', 10_000, { accounts: [OTHER_ACCOUNT] }));
      expect(claims.map((c) => c.post.postId)).toEqual(['theirs']);
      expect(await store.queue.nextDueAt(10_000, [OTHER_ACCOUNT])).toBe(70_000);
      expect(await store.queue.nextDueAt(10_000, ['17841400000000999'])).toBeUndefined();
    });

    it('claims at most `limit` posts, and gives each post to exactly one of several workers claiming at once', async () => {
      for (let i = 0; i < 12; i++) await store.posts.create(newPost(`p${i}`, { wakeAt: undefined }));
      expect(await store.queue.claim(request('w0', 10_000, { limit: 2 }))).toHaveLength(2);
      const rounds = await Promise.all(['w1', 'w2', 'w3', 'w4'].map((w) => store.queue.claim(request(w, 10_000, { limit: 12 }))));
      const ids = rounds.flat().map((c) => c.post.postId);
      expect(ids).toHaveLength(10);
      expect(new Set(ids).size).toBe(10);
    });

    it('renews many leases at once, touching no content, and names the ones that are no longer the owner’s', async () => {
      for (const id of ['a', 'b', 'c']) await store.posts.create(newPost(id, { wakeAt: undefined }));
      const [a, b, c] = await store.queue.claim(request('w1', 10_000));
      if (!a || !b || !c) throw new Error('claims missing');
      await store.queue.finish(c, { status: 'published', result: { outcome: 'published', mediaId: '1', containerId: 'x' } });
      await claimOne('w2', 80_000, { postIds: ['b'] }); // w1's lease on b ran out while it was frozen
      const lost = await store.queue.renew('w1', [a, b, c].map((claim) => ({ postId: claim.post.postId, token: claim.lease.token })), 130_000);
      expect([...lost].sort()).toEqual(['b', 'c']);
      const renewed = await store.posts.get('a');
      expect(renewed?.lease).toEqual({ ...a.lease, until: 130_000 });
      expect(renewed?.version).toBe(1);
      expect(renewed?.snapshot).toEqual(a.post.snapshot);
      expect((await store.posts.get('b'))?.lease?.owner).toBe('w2');
    });

    it('save writes a claimed post’s progress at the next version and returns the claim to use next', async () => {
      await store.posts.create(newPost('p', { wakeAt: undefined }));
      const claim = await claimOne('w1', 10_000);
      const next = await store.queue.save(claim, { state: 'polling', snapshot: { step: 2 }, updatedAt: 11_000 });
      expect(next.lease).toEqual(claim.lease);
      expect(next.post).toMatchObject({ version: 2, state: 'polling', snapshot: { step: 2 }, updatedAt: 11_000, lease: claim.lease });
      expect(await store.posts.get('p')).toEqual(next.post);
      const third = await store.queue.save(next, { state: 'publishing' });
      expect(third.post.version).toBe(3);
      expect(await rejection(store.queue.save(next, { state: 'again' }))).toBeInstanceOf(LeaseLostError);
    });

    it('save is refused (LeaseLostError) once another worker claimed the post, and when an edit moved its version; nothing changes', async () => {
      await store.posts.create(newPost('p', { wakeAt: undefined }));
      const mine = await claimOne('w1', 10_000);
      const theirs = await claimOne('w2', 75_000); // mine ran out at 70,000
      expect(await rejection(store.queue.save(mine, { state: 'publishing' }))).toBeInstanceOf(LeaseLostError);
      expect((await store.posts.get('p'))?.state).toBe('preparing');
      const edited = await store.posts.put({ ...theirs.post, state: 'cancel requested' }, theirs.post.version);
      expect(await rejection(store.queue.save(theirs, { state: 'publishing' }))).toBeInstanceOf(LeaseLostError);
      expect(await store.posts.get('p')).toEqual(edited);
    });

    it('of two concurrent saves with one claim exactly one wins', async () => {
      await store.posts.create(newPost('p', { wakeAt: undefined }));
      const claim = await claimOne('w1', 10_000);
      const outcomes = await Promise.allSettled([store.queue.save(claim, { state: 'a' }), store.queue.save(claim, { state: 'b' })]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.find((o) => o.status === 'rejected')?.reason).toBeInstanceOf(LeaseLostError);
    });

    it('a save forgets a deadline it does not repeat', async () => {
      await store.posts.create(newPost('p', { wakeAt: 1_000, waitReason: 'backoff' }));
      const claim = await claimOne('w1', 10_000);
      const next = await store.queue.save(claim, { state: 'polling' });
      expect(next.post.wakeAt).toBeUndefined();
      expect(next.post.waitReason).toBeUndefined();
    });

    it('park stores the deadline and its reason and gives the lease up: the post is due for anyone then', async () => {
      await store.posts.create(newPost('p', { wakeAt: undefined }));
      const claim = await claimOne('w1', 10_000);
      await store.queue.park(claim, { state: 'waitingQuota', snapshot: { parked: true }, wakeAt: 50_000, waitReason: 'quota' });
      const parked = await store.posts.get('p');
      expect(parked).toMatchObject({ wakeAt: 50_000, waitReason: 'quota', state: 'waitingQuota', snapshot: { parked: true }, version: 2 });
      expect(parked?.lease).toBeUndefined();
      expect(await store.queue.claim(request('w2', 20_000))).toEqual([]);
      expect(await store.queue.nextDueAt(20_000)).toBe(50_000);
      expect((await claimOne('w2', 50_000)).post.postId).toBe('p');
      expect(await rejection(store.queue.park(claim, { wakeAt: 60_000 }))).toBeInstanceOf(LeaseLostError);
    });

    it('finish stores the outcome and gives the lease up: the post is never claimed again', async () => {
      await store.posts.create(newPost('p', { wakeAt: undefined }));
      const claim = await claimOne('w1', 10_000);
      await store.queue.finish(claim, { status: 'published', state: 'published', result: { outcome: 'published', mediaId: 'm1', containerId: 'c1' } });
      const done = await store.posts.get('p');
      expect(done).toMatchObject({ status: 'published', result: { outcome: 'published', mediaId: 'm1', containerId: 'c1' }, version: 2 });
      expect(done?.lease).toBeUndefined();
      expect(await store.queue.claim(request('w2', 20_000, { postIds: ['p'] }))).toEqual([]);
      expect(await store.queue.nextDueAt(20_000)).toBeUndefined();
    });

    it('release gives the lease up (storing last changes when given); a stale release is refused', async () => {
      await store.posts.create(newPost('p', { wakeAt: undefined }));
      const claim = await claimOne('w1', 10_000);
      await store.queue.release(claim, { state: 'polling', snapshot: { last: true } });
      const released = await store.posts.get('p');
      expect(released).toMatchObject({ state: 'polling', snapshot: { last: true } });
      expect(released?.lease).toBeUndefined();
      expect((await claimOne('w2', 11_000)).post.postId).toBe('p');
      expect(await rejection(store.queue.release(claim))).toBeInstanceOf(LeaseLostError);
    });

    it('nextDueAt says when the next post becomes claimable', async () => {
      expect(await store.queue.nextDueAt(10_000)).toBeUndefined();
      await store.posts.create(newPost('soon', { wakeAt: 30_000 }));
      await store.posts.create(newPost('held', { wakeAt: undefined }), { owner: 'w2', until: 25_000 });
      expect(await store.queue.nextDueAt(10_000)).toBe(25_000);
      await store.posts.create(newPost('ready', { wakeAt: 5_000 }));
      expect(await store.queue.nextDueAt(10_000)).toBe(10_000);
    });
  });
}
