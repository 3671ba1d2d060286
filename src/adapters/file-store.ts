import { mkdir, readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { claimByListing, nextDueByListing } from './claim-rules.js';
import { createFileExclusive, fsyncDir, writeFileAtomic } from './fs/atomic-file.js';
import { forEachBounded } from './fs/bounded-map.js';
import { ignoreMissing } from './fs/errno.js';
import { withFileLock } from './fs/file-lock.js';
import { keyFileText, readKeyFile } from './fs/key-file.js';
import { keyedMutex } from './fs/keyed-mutex.js';
import { keysOfPosts } from './fs/keys-of-posts.js';
import { removeStaleTemps, removeStaleTempsIn } from './fs/stale-temps.js';
import { appendLedgerEntry, readLedgerFile } from './fs/ledger-file.js';
import { asStoreError, postFileText, readPostFile } from './fs/post-file.js';
import { assertSafePostId, isSafeId, storeLayout } from './fs/store-layout.js';
import { leaseAllowed, leaseHeldBy, withLease, withoutLease } from './lease-rules.js';
import { publishesOf } from './ledger-order.js';
import { sortPosts, sortProblems } from './post-order.js';
import { DamagedPostError, parseEnvelope, StaleWriteError, StoreError, type CreateResult, type Listing, type NewPost, type PostEnvelope, type Store, type StoreProblem } from './store.js';
import { storedEnvelope } from './stored-envelope.js';

/** Options of {@link fileStore}. */
export interface FileStoreOptions {
  /** Drop the XState snapshot of a post once it is `published` or `failed`, so finished posts stay small. Default true. */
  readonly compactFinished?: boolean;
  /**
   * A per-post lock file this old (ms) was left by a crashed process and is
   * broken; a write's temp file this old was left by a killed process and
   * is removed. Default 5,000. Every process sharing the directory must use the same value.
   */
  readonly staleLockMs?: number;
}

/** How many post files a listing reads at once. */
const READ_CONCURRENCY = 64;

/**
 * The default {@link Store} (the CLI's `./.igflow`): plain files, safe to
 * share between processes on one machine and to kill at any instant.
 *
 * Layout under `dir` (directories are created on first write):
 * - `posts/<postId>.json`: one envelope per post, compact JSON. Post ids
 *   must match `[A-Za-z0-9._-]{1,200}` (others are refused with a StoreError).
 *   `posts/<postId>.lock` (and `.lock.break`) exist while a write to the post
 *   is under way; `.<name>.<random>.tmp` files are writes in flight, or
 *   leftovers of a crash; listings ignore both, and remove the temp files
 *   that are `staleLockMs` old (those of `keys/` too, once per store
 *   object): a kill mid-write would otherwise leave them forever.
 * - `keys/<sha256(key)>`: the idempotency-key index, JSON `{ key, postId }`
 *   (plus the first envelope while the create is in flight).
 * - `ledger/<account>.jsonl`: the account's publishes, one JSON line each
 *   (`~<sha256(account)>.jsonl` for an account id that is not a safe name).
 *
 * Crash safety: every post and key write goes to a fsynced temp file in the
 * same directory, then takes its name by rename (replace) or hard link
 * (create only if absent), then the directory is fsynced: a reader sees the
 * old file or the new one, never a torn one.
 *
 * create: the key is claimed first, by creating its key file exclusively
 * (hard link: of racing creators in any process exactly one wins), with the
 * new envelope inside; then the post file is created from it. A crash in
 * between leaves a claimed key whose post anyone who looks the key up
 * writes out from the key file, so the key never ends up with no post or
 * two. The post id is checked free first; the key file is slimmed to
 * `{ key, postId }` once the post file exists.
 *
 * put, lease, release: read-compare-write under the post's lock (an
 * in-process queue per post, then the cross-process lock file of
 * fs/file-lock.ts), so of two writers with the same expected version, in
 * any processes, exactly one wins.
 *
 * Listings read the post files 64 at a time; an unreadable post is reported
 * under `problems` (with its idempotency key when its id derives from one
 * and the key index has it) and the others carry on.
 */
export function fileStore(dir: string, options: FileStoreOptions = {}): Store {
  const layout = storeLayout(dir);
  const compact = { compactFinished: options.compactFinished ?? true };
  const staleMs = options.staleLockMs ?? 5_000;
  const lockOptions = { staleMs, timeoutMs: staleMs * 6 };
  const queue = keyedMutex();
  let made: Promise<void> | undefined;
  let keysSwept: Promise<unknown> | undefined;

  /** Creates the directories once (again after a failure). */
  const ready = (): Promise<void> => {
    made ??= (async () => {
      for (const sub of [layout.posts, layout.keys, layout.ledger]) await mkdir(sub, { recursive: true });
      await fsyncDir(dir);
      await fsyncDir(dirname(dir));
    })().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };

  const read = (postId: string): Promise<PostEnvelope | undefined> => readPostFile(layout.postFile(postId), postId);

  /** Read-compare-write on one post, one writer at a time across processes. */
  const locked = async <T>(postId: string, work: (assertHeld: () => void) => Promise<T>): Promise<T> => {
    assertSafePostId(postId);
    await ready();
    try {
      return await queue(postId, () => withFileLock(layout.lockFile(postId), lockOptions, work));
    } catch (error) {
      throw asStoreError(postId, error);
    }
  };

  /** The post holding `key`, writing it out from the key file when a create crashed half-way. */
  const holderOf = async (key: string): Promise<PostEnvelope | undefined> => {
    const record = await readKeyFile(layout.keyFile(key), key);
    if (!record) return undefined;
    assertSafePostId(record.postId);
    let post = await read(record.postId);
    if (!post && record.post !== undefined) {
      await createFileExclusive(layout.postFile(record.postId), postFileText(parseEnvelope(record.postId, record.post)));
      post = await read(record.postId);
    }
    if (post && post.key !== key) {
      throw new StoreError('corrupt', post.postId, `idempotency key ${JSON.stringify(key)} points to post ${post.postId}, which holds another key`);
    }
    return post;
  };

  /** Problems named by their posts' idempotency keys, where the key index tells them (the damaged files are not read again). */
  const withKeys = async (problems: StoreProblem[]): Promise<StoreProblem[]> => {
    if (problems.length === 0) return problems;
    const keys = await keysOfPosts(layout.keys, problems.map((p) => p.postId));
    return problems.map((problem) => {
      const key = keys.get(problem.postId);
      if (key === undefined) return problem;
      return { ...problem, key, error: problem.error instanceof DamagedPostError ? problem.error.withKey(key) : problem.error };
    });
  };

  const list = async (keep: (post: PostEnvelope) => boolean): Promise<Listing> => {
    let names: string[] = [];
    try {
      names = await readdir(layout.posts);
    } catch (error) {
      ignoreMissing(error);
    }
    const ids = names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -'.json'.length)).filter(isSafeId);
    const posts: PostEnvelope[] = [];
    const problems: StoreProblem[] = [];
    // leftovers of killed writes go while the posts are read: the names are at hand, only temp files are stat'ed
    keysSwept ??= removeStaleTempsIn(layout.keys, staleMs);
    await Promise.all([
      removeStaleTemps(layout.posts, names, staleMs),
      keysSwept,
      forEachBounded(ids, READ_CONCURRENCY, async (postId) => {
        try {
          const post = await read(postId);
          if (post && keep(post)) posts.push(post);
        } catch (error) {
          problems.push({ postId, error: asStoreError(postId, error) });
        }
      }),
    ]);
    return { posts: sortPosts(posts), problems: sortProblems(await withKeys(problems)) };
  };

  /** Store.create; see the file's doc comment for the order of writes. */
  const create = async (post: NewPost): Promise<CreateResult> => {
    assertSafePostId(post.postId);
    const stored = storedEnvelope(post, 1, compact);
    const { postId, key } = stored;
    await ready();
    if (key !== undefined) {
      const holder = await holderOf(key);
      if (holder) return { created: false, post: holder };
    }
    const taken = await read(postId);
    if (taken) throw new StaleWriteError(postId, 0, taken.version);
    if (key !== undefined && !(await createFileExclusive(layout.keyFile(key), keyFileText({ key, postId, post: stored })))) {
      const holder = await holderOf(key);
      if (holder) return { created: false, post: holder };
      throw new StoreError('corrupt', postId, `idempotency key ${JSON.stringify(key)} is claimed but its post cannot be found`);
    }
    if (!(await createFileExclusive(layout.postFile(postId), postFileText(stored)))) {
      // Someone who found our key file wrote the post out first, or another post took the id meanwhile.
      const now = await read(postId);
      if (key === undefined || now?.key !== key) throw new StaleWriteError(postId, 0, now?.version);
      return { created: true, post: now };
    }
    if (key !== undefined) await writeFileAtomic(layout.keyFile(key), keyFileText({ key, postId }));
    return { created: true, post: stored };
  };

  const store: Store = {
    async get(postId) {
      assertSafePostId(postId);
      return read(postId);
    },

    findByKey: holderOf,

    async create(post): Promise<CreateResult> {
      try {
        return await create(post);
      } catch (error) {
        throw asStoreError(post.postId, error);
      }
    },

    put(post, expectedVersion) {
      return locked(post.postId, async (assertHeld) => {
        const current = await read(post.postId);
        if (current?.version !== expectedVersion) throw new StaleWriteError(post.postId, expectedVersion, current?.version);
        const next = storedEnvelope({ ...post, key: current.key }, expectedVersion + 1, compact);
        await writeFileAtomic(layout.postFile(post.postId), postFileText(next), assertHeld);
        return next;
      });
    },

    listUnfinished: () => list((post) => post.status === 'active'),
    listAll: () => list(() => true),

    lease(postId, request) {
      return locked(postId, async (assertHeld) => {
        const current = await read(postId);
        if (!current || !leaseAllowed(current, request)) return undefined;
        const next = withLease(current, request);
        await writeFileAtomic(layout.postFile(postId), postFileText(next), assertHeld);
        return next;
      });
    },

    release(postId, owner) {
      return locked(postId, async (assertHeld) => {
        const current = await read(postId);
        if (!current || !leaseHeldBy(current, owner)) return;
        await writeFileAtomic(layout.postFile(postId), postFileText(withoutLease(current)), assertHeld);
      });
    },

    async recordPublish(entry) {
      await ready();
      await appendLedgerEntry(layout.ledgerFile(entry.account), entry);
    },

    async publishesSince(account, since) {
      return publishesOf(await readLedgerFile(layout.ledgerFile(account)), account, since);
    },

    claimDue: (request) => claimByListing(store, request),
    nextDueAt: (now, accounts) => nextDueByListing(store, now, accounts),
    close: () => Promise.resolve(),
  };
  return store;
}
