import { claimByListing, nextDueByListing } from './claim-rules.js';
import { leaseAllowed, leaseHeldBy, withLease, withoutLease } from './lease-rules.js';
import { publishesOf } from './ledger-order.js';
import { sortPosts } from './post-order.js';
import { StaleWriteError, type CreateResult, type LedgerEntry, type Listing, type PostEnvelope, type Store } from './store.js';
import { storedEnvelope } from './stored-envelope.js';

/** Runs synchronous work as a promise: a throw becomes a rejection. */
const settle = <T>(work: () => T): Promise<T> => new Promise<T>((resolve) => resolve(work()));

/**
 * A {@link Store} in this process's memory, for tests, demos and one-shot
 * runs: nothing survives the process. Envelopes are kept and handed out as
 * deep copies (structuredClone), so a caller can never change stored state
 * by mutating what it passed in or got back. Every method does its
 * read-compare-write synchronously, so the event loop makes create-by-key,
 * compare-and-set puts and leases atomic. Finished posts keep their snapshot
 * (there is no disk to save).
 */
export function memoryStore(): Store {
  const posts = new Map<string, PostEnvelope>();
  const keys = new Map<string, string>();
  const ledger: LedgerEntry[] = [];
  const copy = (post: PostEnvelope): PostEnvelope => structuredClone(post);
  const found = (postId: string | undefined): PostEnvelope | undefined => {
    const post = postId === undefined ? undefined : posts.get(postId);
    return post && copy(post);
  };
  const save = (post: PostEnvelope): PostEnvelope => {
    posts.set(post.postId, copy(post));
    return copy(post);
  };
  const list = (keep: (post: PostEnvelope) => boolean): Listing => ({
    posts: sortPosts([...posts.values()].filter(keep).map(copy)),
    problems: [],
  });

  const store: Store = {
    get: (postId) => settle(() => found(postId)),
    findByKey: (key) => settle(() => found(keys.get(key))),
    create: (post) =>
      settle((): CreateResult => {
        const stored = storedEnvelope(post, 1, { compactFinished: false });
        const holder = stored.key === undefined ? undefined : found(keys.get(stored.key));
        if (holder) return { created: false, post: holder };
        const taken = posts.get(stored.postId);
        if (taken) throw new StaleWriteError(stored.postId, 0, taken.version);
        if (stored.key !== undefined) keys.set(stored.key, stored.postId);
        return { created: true, post: save(stored) };
      }),
    put: (post, expectedVersion) =>
      settle(() => {
        const current = posts.get(post.postId);
        if (current?.version !== expectedVersion) throw new StaleWriteError(post.postId, expectedVersion, current?.version);
        return save(storedEnvelope({ ...post, key: current.key }, expectedVersion + 1, { compactFinished: false }));
      }),
    listUnfinished: () => settle(() => list((p) => p.status === 'active')),
    listAll: () => settle(() => list(() => true)),
    lease: (postId, request) =>
      settle(() => {
        const current = posts.get(postId);
        return current && leaseAllowed(current, request) ? save(withLease(current, request)) : undefined;
      }),
    release: (postId, owner) =>
      settle(() => {
        const current = posts.get(postId);
        if (current && leaseHeldBy(current, owner)) save(withoutLease(current));
      }),
    recordPublish: (entry) => settle(() => void ledger.push({ account: entry.account, postId: entry.postId, at: entry.at })),
    publishesSince: (account, since) => settle(() => publishesOf(ledger, account, since)),
    claimDue: (request) => claimByListing(store, request),
    nextDueAt: (now, accounts) => nextDueByListing(store, now, accounts),
    close: () => Promise.resolve(),
  };
  return store;
}
