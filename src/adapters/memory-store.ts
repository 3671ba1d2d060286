import { claimCandidates, nextDueOf } from './claim-rules.js';
import type { PostEnvelope } from './envelope.js';
import { assertHeld, claimOf, withChanges, withoutLease } from './lease-rules.js';
import { publishesOf } from './ledger-order.js';
import { memoryOutbox, settle } from './memory-outbox.js';
import { finishes } from './outbox-rules.js';
import { sortPosts } from './post-order.js';
import { matchesQuery } from './post-query.js';
import { StaleWriteError } from './store-errors.js';
import { countsAgainst, decideSlot, mergeBrake, type Reservation } from './slot-rules.js';
import type { BrakeState, Claim, CreateResult, LedgerEntry, Listing, Store } from './store.js';
import { storedEnvelope } from './stored-envelope.js';

/**
 * A {@link Store} in this process's memory, for tests, demos and one-shot
 * runs: nothing survives the process. Envelopes are kept and handed out as
 * deep copies (structuredClone), so a caller can never change stored state
 * by mutating what it passed in or got back. Every method does its
 * read-compare-write synchronously, so the event loop makes create-by-key,
 * compare-and-set writes and claims atomic. Finished posts keep their
 * snapshot (there is no disk to save). A write that finishes a post
 * records its outbox entry in the same synchronous step (memory-outbox.ts).
 */
export function memoryStore(): Store {
  const posts = new Map<string, PostEnvelope>();
  const keys = new Map<string, string>();
  const ledger: LedgerEntry[] = [];
  const creations: LedgerEntry[] = [];
  let reservations: Reservation[] = [];
  const brakes = new Map<string, BrakeState>();
  const brakeListeners = new Set<(state: BrakeState | undefined) => void>();
  const copy = <T>(value: T): T => structuredClone(value);
  const found = (postId: string | undefined): PostEnvelope | undefined => {
    const post = postId === undefined ? undefined : posts.get(postId);
    return post && copy(post);
  };
  /** Keeps a copy of `post`, and hands `post` back: it is the caller's own, freshly made by `storedEnvelope` or `claimOf`, so one copy is enough. */
  const save = (post: PostEnvelope): PostEnvelope => {
    posts.set(post.postId, copy(post));
    return post;
  };
  const stored = (post: PostEnvelope, version: number) => storedEnvelope(post, version, { compactFinished: false });
  const holding = (claim: Claim) => assertHeld(posts.get(claim.post.postId), claim);
  const outbox = memoryOutbox();
  /** Keeps `next`, written over `current`, with its outbox entry when the write finishes the post. */
  const write = (current: PostEnvelope, next: PostEnvelope): PostEnvelope => {
    save(next);
    if (finishes(current, next)) outbox.record(next, next.updatedAt);
    return next;
  };

  return {
    posts: {
      get: (postId) => settle(() => found(postId)),
      findByKey: (key) => settle(() => found(keys.get(key))),
      create: (post, claimFor) =>
        settle((): CreateResult => {
          const fresh = storedEnvelope(post, 1, { compactFinished: false });
          const holder = fresh.key === undefined ? undefined : found(keys.get(fresh.key));
          if (holder) return { created: false, post: holder };
          const taken = posts.get(fresh.postId);
          if (taken) throw new StaleWriteError(fresh.postId, 0, taken.version);
          if (fresh.key !== undefined) keys.set(fresh.key, fresh.postId);
          const claim = claimFor === undefined ? undefined : claimOf(fresh, claimFor);
          return { created: true, post: save(claim?.post ?? fresh), claim: claim && copy(claim) };
        }),
      list: (query = {}) =>
        settle(
          (): Listing => ({
            posts: sortPosts([...posts.values()].filter((p) => matchesQuery(p, query)).map(copy)),
            problems: [],
          }),
        ),
      put: (post, expectedVersion) =>
        settle(() => {
          const current = posts.get(post.postId);
          if (current?.version !== expectedVersion) throw new StaleWriteError(post.postId, expectedVersion, current?.version);
          const next = stored({ ...post, key: current.key, lease: current.lease }, expectedVersion + 1);
          return write(current, next);
        }),
    },

    queue: {
      claim: (request) =>
        settle(() =>
          claimCandidates([...posts.values()], request).map((post) => {
            const claim = claimOf(post, request);
            save(claim.post);
            return copy(claim);
          }),
        ),
      renew: (owner, held, until) =>
        settle(() => {
          const lost: string[] = [];
          for (const { postId, token } of held) {
            const current = posts.get(postId);
            if (current?.lease?.owner !== owner || current.lease.token !== token) lost.push(postId);
            else save({ ...current, lease: { ...current.lease, until } });
          }
          return lost;
        }),
      save: (claim, changes) =>
        settle(() => {
          const current = holding(claim);
          return { post: write(current, stored(withChanges(current, changes), current.version + 1)), lease: claim.lease };
        }),
      park: (claim, changes) =>
        settle(() => {
          const current = holding(claim);
          write(current, withoutLease(stored(withChanges(current, changes), current.version + 1)));
        }),
      finish: (claim, changes) =>
        settle(() => {
          const current = holding(claim);
          write(current, withoutLease(stored(withChanges(current, changes), current.version + 1)));
        }),
      release: (claim, changes) =>
        settle(() => {
          const current = holding(claim);
          write(current, withoutLease(changes === undefined ? current : stored(withChanges(current, changes), current.version + 1)));
        }),
      nextDueAt: (now, accounts) => settle(() => nextDueOf([...posts.values()], now, accounts)),
    },

    ledger: {
      recordPublish: (entry) =>
        settle(() => {
          ledger.push({ account: entry.account, postId: entry.postId, at: entry.at });
          reservations = reservations.filter((r) => r.account !== entry.account || r.postId !== entry.postId);
        }),
      publishesSince: (account, since) => settle(() => publishesOf(ledger, account, since)),
      // count, decide and write in one synchronous step: no other call runs in between
      takeSlot: (request) =>
        settle(() => {
          const entries = publishesOf(request.kind === 'publish' ? ledger : creations, request.account, request.now - request.windowMs);
          const answer = decideSlot(request, entries.map((e) => e.at), reservations.filter((r) => countsAgainst(r, request)).length);
          if (!answer.ok) return answer;
          if (request.kind === 'container') creations.push({ account: request.account, postId: request.postId, at: request.now });
          else reservations = [...reservations.filter((r) => r.until > request.now && (r.account !== request.account || r.postId !== request.postId)), { account: request.account, postId: request.postId, until: request.until }];
          return answer;
        }),
    },

    brakes: {
      raise: (state) =>
        settle(() => {
          const merged = mergeBrake(brakes.get(state.key), state);
          brakes.set(state.key, merged);
          for (const listener of [...brakeListeners]) {
            queueMicrotask(() => {
              try {
                listener(merged);
              } catch {
                // a subscriber's failure is its own business
              }
            });
          }
          return merged;
        }),
      read: () => settle(() => [...brakes.values()]),
      watch: (listener) =>
        settle(() => {
          const subscriber = (state: BrakeState | undefined) => listener(state);
          brakeListeners.add(subscriber);
          return () => settle(() => void brakeListeners.delete(subscriber));
        }),
    },

    outbox: outbox.outbox,

    close: () => Promise.resolve(),
  };
}
