import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ENVELOPE_VERSION } from '../../../src/adapters/envelope.js';
import { StaleWriteError, StoreError } from '../../../src/adapters/store-errors.js';
import type { Store } from '../../../src/adapters/store.js';
import { postIdForKey } from '../../../src/engine/post-id.js';
import { newPost, published } from '../fixtures/new-post.js';
import { corrupt, rejection, type ConformanceOptions, type StoreUnderTest } from './subject.js';

/**
 * What every adapter's PostRepository must do: create atomically on the
 * idempotency key (claimed at once when asked), read back every field,
 * compare-and-set edits that leave key and lease alone, list in order,
 * and report a damaged post as a problem for that post alone.
 */
export function postsConformance(name: string, make: () => Promise<StoreUnderTest>, options: ConformanceOptions): void {
  describe(`${name} store: posts`, () => {
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

    it('create then get round-trips every field, at version 1 and without a lease', async () => {
      const post = newPost('p1', { machine: 'stories', wakeAt: 5_000, waitReason: 'schedule', updatedAt: 1_500 });
      const result = await store.posts.create(post);
      expect(result).toEqual({ created: true, post: { ...post, v: ENVELOPE_VERSION, version: 1 }, claim: undefined });
      expect(await store.posts.get('p1')).toEqual(result.post);
    });

    it('create with claimFor stores the post claimed, in one write, with a fresh token', async () => {
      const result = await store.posts.create(newPost('p1'), { owner: 'w1', until: 61_000 });
      if (!result.created || result.claim === undefined) throw new Error('no claim');
      expect(result.claim.lease).toMatchObject({ owner: 'w1', until: 61_000 });
      expect(result.claim.lease.token.length).toBeGreaterThan(8);
      expect(result.claim.post).toEqual(result.post);
      expect(await store.posts.get('p1')).toEqual({ ...result.post, version: 1, lease: result.claim.lease });
    });

    it('a post without an idempotency key is stored too', async () => {
      await store.posts.create(newPost('p1', { key: undefined }));
      expect((await store.posts.get('p1'))?.key).toBeUndefined();
    });

    it('create with a taken key returns the existing post and writes nothing', async () => {
      const first = await store.posts.create(newPost('p1', { key: 'k' }));
      const second = await store.posts.create(newPost('p2', { key: 'k', state: 'other' }), { owner: 'w1', until: 9_000 });
      expect(second).toEqual({ created: false, post: first.post });
      expect(await store.posts.get('p2')).toBeUndefined();
      expect((await store.posts.list()).posts.map((p) => p.postId)).toEqual(['p1']);
    });

    it('20 concurrent creates with one key make exactly one post', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.posts.create(newPost(`p${i}`, { key: 'k' }))));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const winner = results.find((r) => r.created)?.post.postId;
      expect(new Set(results.map((r) => r.post.postId))).toEqual(new Set([winner]));
      expect((await store.posts.list()).posts.map((p) => p.postId)).toEqual([winner]);
    });

    it('create with a post id already in use is refused with StaleWriteError and writes nothing', async () => {
      await store.posts.create(newPost('p1', { key: 'k1' }));
      const error = await rejection(store.posts.create(newPost('p1', { key: 'k2', state: 'other' })));
      expect(error).toBeInstanceOf(StaleWriteError);
      expect(error).toMatchObject({ kind: 'stale-write', postId: 'p1' });
      expect((await store.posts.get('p1'))?.state).toBe('preparing');
      expect(await store.posts.findByKey('k2')).toBeUndefined();
    });

    it('get of an absent post is undefined; findByKey finds the holder of a key, undefined for a free one', async () => {
      await store.posts.create(newPost('p1', { key: 'k1' }));
      await store.posts.create(newPost('p2', { key: 'k2' }));
      expect(await store.posts.get('nope')).toBeUndefined();
      expect((await store.posts.findByKey('k2'))?.postId).toBe('p2');
      expect(await store.posts.findByKey('k3')).toBeUndefined();
    });

    it('put with the right version bumps it and stores the content; a stale version is refused and changes nothing', async () => {
      const { post } = await store.posts.create(newPost('p1'));
      const next = await store.posts.put({ ...post, state: 'publishing', updatedAt: 2_000 }, 1);
      expect(next).toMatchObject({ version: 2, state: 'publishing', updatedAt: 2_000 });
      expect(await store.posts.get('p1')).toEqual(next);
      const error = await rejection(store.posts.put({ ...post, state: 'verifying' }, 1));
      expect(error).toBeInstanceOf(StaleWriteError);
      expect(error).toMatchObject({ kind: 'stale-write', postId: 'p1', expectedVersion: 1, actualVersion: 2 });
      expect(await store.posts.get('p1')).toEqual(next);
    });

    it('put of an absent post is refused with StaleWriteError', async () => {
      const { post } = await store.posts.create(newPost('p1'));
      const error = await rejection(store.posts.put({ ...post, postId: 'p2' }, 1));
      expect(error).toBeInstanceOf(StaleWriteError);
      expect(await store.posts.get('p2')).toBeUndefined();
    });

    it('of two concurrent puts with the same expected version exactly one wins', async () => {
      const { post } = await store.posts.create(newPost('p1'));
      const outcomes = await Promise.allSettled([store.posts.put({ ...post, state: 'a' }, 1), store.posts.put({ ...post, state: 'b' }, 1)]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o) => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost[0]?.reason).toBeInstanceOf(StaleWriteError);
      expect(await store.posts.get('p1')).toEqual(won[0]?.value);
    });

    it('put keeps the key given at create and the lease it finds, whatever the post it is given says', async () => {
      const created = await store.posts.create(newPost('p1', { key: 'k1' }), { owner: 'w1', until: 31_000 });
      if (!created.created || created.claim === undefined) throw new Error('no claim');
      await store.posts.put({ ...created.post, key: 'k2', lease: undefined, state: 'edited' }, 1);
      const stored = await store.posts.get('p1');
      expect(stored).toMatchObject({ key: 'k1', state: 'edited', lease: created.claim.lease });
      expect((await store.posts.findByKey('k1'))?.postId).toBe('p1');
      expect(await store.posts.findByKey('k2')).toBeUndefined();
    });

    it('a finished post keeps its key, result, state and timestamps', async () => {
      const { post } = await store.posts.create(newPost('p1', { key: 'k1' }));
      await store.posts.put(published(post, 4_000), 1);
      expect(await store.posts.get('p1')).toMatchObject({
        key: 'k1',
        status: 'published',
        state: 'published',
        result: { outcome: 'published', mediaId: '9000', containerId: 'c1' },
        createdAt: 1_000,
        updatedAt: 4_000,
        version: 2,
      });
    });

    it('list gives every post oldest first; list({ status: unfinished }) only the active ones', async () => {
      const a = await store.posts.create(newPost('a'));
      await store.posts.create(newPost('b', { createdAt: 2_000 }));
      const c = await store.posts.create(newPost('c', { createdAt: 3_000 }));
      await store.posts.put(published(a.post, 4_000), 1);
      await store.posts.put({ ...c.post, status: 'failed', state: 'failed', result: { outcome: 'failed', error: { name: 'E', errorClass: 'invalid-input', retryable: false, message: 'no', remedy: 'fix' } } }, 1);
      expect((await store.posts.list({ status: 'unfinished' })).posts.map((p) => p.postId)).toEqual(['b']);
      expect((await store.posts.list()).posts.map((p) => p.postId)).toEqual(['a', 'b', 'c']);
      expect((await store.posts.list()).problems).toEqual([]);
    });

    it('listing an empty store gives no posts and no problems', async () => {
      expect(await store.posts.list()).toEqual({ posts: [], problems: [] });
      expect(await store.posts.list({ status: 'unfinished' })).toEqual({ posts: [], problems: [] });
    });

    const damaged = [
      { what: 'a corrupt post', kind: 'corrupt', raw: '{"v":2,"postId":"bad","acc' },
      { what: 'an unknown-version post', kind: 'unknown-version', raw: JSON.stringify({ ...newPost('bad'), v: 99, version: 1 }) },
    ] as const;
    for (const { what, kind, raw } of options.storesBytes ? damaged : []) {
      it(`${what} is reported as a problem while the others list fine`, async () => {
        await store.posts.create(newPost('good1'));
        await store.posts.create(newPost('bad'));
        await store.posts.create(newPost('good2'));
        await corrupt(subject, 'bad', raw);
        for (const listing of [await store.posts.list({ status: 'unfinished' }), await store.posts.list()]) {
          expect(listing.posts.map((p) => p.postId).sort()).toEqual(['good1', 'good2']);
          expect(listing.problems.map((p) => [p.postId, p.error.kind])).toEqual([['bad', kind]]);
          expect(listing.problems[0]?.error).toBeInstanceOf(StoreError);
        }
      });

      it(`${what} with an idempotency key is reported with its key, named in the message`, async () => {
        const postId = postIdForKey('launch "day"');
        await store.posts.create(newPost(postId, { key: 'launch "day"' }));
        await store.posts.create(newPost('unkeyed', { key: undefined }));
        await corrupt(subject, postId, raw.replaceAll('"bad"', JSON.stringify(postId)));
        await corrupt(subject, 'unkeyed', raw.replaceAll('"bad"', '"unkeyed"'));
        const { problems } = await store.posts.list();
        expect(problems.map((p) => [p.postId, p.key, p.error.kind])).toEqual([
          [postId, 'launch "day"', kind],
          ['unkeyed', undefined, kind],
        ]);
        expect(problems[0]?.error.message).toContain(`post "launch \\"day\\"" (${postId})`);
        expect(problems[1]?.error.message).toMatch(/^post unkeyed /);
      });

      it(`get of ${what} throws StoreError with kind '${kind}'`, async () => {
        await store.posts.create(newPost('bad'));
        await corrupt(subject, 'bad', raw);
        const error = await rejection(store.posts.get('bad'));
        expect(error).toBeInstanceOf(StoreError);
        expect(error).toMatchObject({ kind, postId: 'bad' });
      });
    }

    it('returned envelopes are copies: mutating one does not change the store', async () => {
      const created = await store.posts.create(newPost('p1'));
      const got = await store.posts.get('p1');
      const listed = (await store.posts.list()).posts[0];
      for (const post of [created.post, got, listed]) {
        if (!post) throw new Error('missing');
        post.state = 'mutated';
        (post.snapshot as { context: { attempts: number[] } }).context.attempts.push(99);
      }
      const stored = await store.posts.get('p1');
      expect(stored?.state).toBe('preparing');
      expect(stored?.snapshot).toEqual(newPost('p1').snapshot);
    });
  });
}
