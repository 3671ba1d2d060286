import { z } from 'zod';
import { WaitReason } from '../machines/progress.js';
import { quoted } from './printable.js';

/**
 * The persistence contract every adapter implements (memory, file,
 * PostgreSQL), checked by one conformance suite (test/adapters/conformance.ts).
 * A post is stored as a versioned envelope: the XState persisted snapshot
 * plus what the engine needs to find it again without restoring it.
 */

/** The envelope format this code writes. An unknown `v` is refused, never misread. */
export const ENVELOPE_VERSION = 1;

/** Which machine a post runs. */
export const MachineKind = z.enum(['post', 'stories']);
/** See {@link MachineKind}. */
export type MachineKind = z.infer<typeof MachineKind>;

/** Whether a post still has work to do. */
export const PostStatus = z.enum(['active', 'published', 'failed']);
/** See {@link PostStatus}. */
export type PostStatus = z.infer<typeof PostStatus>;

/** A worker's claim on a post until `until` (epoch ms). */
export const Lease = z.object({ owner: z.string().min(1), until: z.number() });
/** See {@link Lease}. */
export type Lease = z.infer<typeof Lease>;

/** How a finished post ended, kept after compaction. */
export const PostResult = z.object({
  outcome: z.enum(['published', 'failed']),
  mediaId: z.string().optional(),
  /** The container that was published. */
  containerId: z.string().optional(),
  /** The error as JSON (no secrets), for failed posts. */
  error: z.record(z.string(), z.unknown()).optional(),
});
/** See {@link PostResult}. */
export type PostResult = z.infer<typeof PostResult>;

/**
 * The stored envelope (design.md "Snapshots"): `{ v, postId, key, machine,
 * snapshot, wakeAt, lease }` plus bookkeeping. Validated with zod on every read.
 */
export const PostEnvelope = z.object({
  v: z.literal(ENVELOPE_VERSION),
  postId: z.string().min(1),
  /** The caller's idempotency key (`id` in the spec), when given. */
  key: z.string().min(1).optional(),
  /** The Instagram account (IG user id) the post belongs to. */
  account: z.string().min(1),
  machine: MachineKind,
  status: PostStatus,
  /** A one-line summary of where the post is (the top-level state, e.g. `polling`). */
  state: z.string(),
  /** XState's persisted snapshot; undefined once a finished post is compacted. */
  snapshot: z.unknown().optional(),
  /** When a waiting post is due to wake (epoch ms); undefined when it is ready now or finished. */
  wakeAt: z.number().optional(),
  /** Why a parked post waits (schedule, quota, auth…): a resume re-checks the quota and tries a new token at once, and sleeps out the rest. */
  waitReason: WaitReason.optional(),
  /** A hash of the spec the post was made from: the same idempotency key with other content is refused. */
  specHash: z.string().min(1).optional(),
  lease: Lease.optional(),
  /** Bumped by every successful write and every lease change: the fencing token. */
  version: z.number().int().nonnegative(),
  createdAt: z.number(),
  updatedAt: z.number(),
  result: PostResult.optional(),
});
/** See {@link PostEnvelope}. */
export type PostEnvelope = z.infer<typeof PostEnvelope>;

/** What `create` takes: an envelope before the store gave it a version. */
export type NewPost = Omit<PostEnvelope, 'v' | 'version'>;

/** The outcome of `create`: the new post, or the one that already holds the idempotency key. */
export type CreateResult = { readonly created: true; readonly post: PostEnvelope } | { readonly created: false; readonly post: PostEnvelope };

/** One unreadable post found while listing: the others carry on. */
export interface StoreProblem {
  readonly postId: string;
  /**
   * The post's idempotency key (the spec's `id`), when it has one and the
   * store could tell without reading the damaged post (the file store from
   * its key index, PostgreSQL from the row's key column).
   */
  readonly key?: string;
  readonly error: StoreError;
}

/** The outcome of a listing: the readable posts, and the problems with the others. */
export interface Listing {
  readonly posts: readonly PostEnvelope[];
  readonly problems: readonly StoreProblem[];
}

/** Options of {@link Store.lease}. */
export interface LeaseRequest {
  readonly owner: string;
  /** The lease runs out at this time (epoch ms). */
  readonly until: number;
  /** The current time, from the engine's clock. */
  readonly now: number;
  /**
   * Whether a live lease held by someone else may be taken over anyway (its
   * holder is a dead process on this machine, say). Expired leases are always free.
   */
  readonly takeOver?: (held: Lease) => boolean;
}

/** Options of {@link Store.claimDue}. */
export interface ClaimRequest {
  readonly owner: string;
  /** The leases granted run out at this time (epoch ms). */
  readonly until: number;
  /** The current time, from the engine's clock. */
  readonly now: number;
  /** At most this many posts. */
  readonly limit: number;
  /** As in {@link LeaseRequest}: may a live lease be taken over (its holder is a dead local process)? */
  readonly takeOver?: (held: Lease) => boolean;
  /** Only posts of these accounts (a worker cannot publish for an account it has no token for); all when absent. */
  readonly accounts?: readonly string[];
}

/** One publish, for the account's client-side quota ledger (graph-api-facts.md §5). */
export interface LedgerEntry {
  readonly account: string;
  readonly postId: string;
  readonly at: number;
}

/**
 * Persistence for posts. Every method is safe to call concurrently from
 * several engines sharing the store.
 */
export interface Store {
  /** Reads a post; undefined when absent. Throws {@link StoreError} (corrupt, unknown version) for that post alone. */
  get(postId: string): Promise<PostEnvelope | undefined>;
  /** Finds the post holding an idempotency key. */
  findByKey(key: string): Promise<PostEnvelope | undefined>;
  /**
   * Stores a new post at version 1. Atomic on the idempotency key: when
   * another post already holds it, nothing is written and that post is
   * returned (two racing `publish` calls make one post). A `postId` already
   * used by another post is refused with {@link StaleWriteError} (expected
   * version 0: "nothing stored yet"); nothing is written.
   */
  create(post: NewPost): Promise<CreateResult>;
  /**
   * Compare-and-set: writes `post` if the stored version is still
   * `expectedVersion`, and returns it with the next version. Throws
   * {@link StaleWriteError} otherwise, and when the post is absent (a stale
   * writer is refused: fencing). `post.version` is ignored. The idempotency
   * key is fixed at create: the stored `key` is kept whatever `post.key` says.
   */
  put(post: PostEnvelope, expectedVersion: number): Promise<PostEnvelope>;
  /** Every post that is not finished (status `active`), with the problems of unreadable ones. */
  listUnfinished(): Promise<Listing>;
  /** Every post, finished ones included. */
  listAll(): Promise<Listing>;
  /**
   * Claims a post for `owner` until `until`, when it is unleased, its lease
   * has expired (a lease is live while `now < until`), it is already
   * `owner`'s (a renewal), or `takeOver` allows it. `updatedAt` is unchanged.
   * Bumps the version. Returns the leased post, or undefined when someone
   * else holds it (or it is absent).
   */
  lease(postId: string, request: LeaseRequest): Promise<PostEnvelope | undefined>;
  /** Gives a lease up, if `owner` still holds it (expired or not). Bumps the version then; otherwise writes nothing. */
  release(postId: string, owner: string): Promise<void>;
  /**
   * Claims up to `limit` active posts that are due (no `wakeAt`, or
   * `wakeAt <= now`) and free (unleased, lease expired, or `takeOver`
   * allows; never one the owner already holds under a live lease: it is
   * working on it), earliest due first, leasing each to
   * `owner` (version bumped). Safe when several workers claim at once: a
   * post goes to one of them.
   */
  claimDue(request: ClaimRequest): Promise<readonly PostEnvelope[]>;
  /**
   * When the first active post is both due and free: `now` if one already
   * is, undefined when nothing is pending. Idle workers sleep until then.
   */
  nextDueAt(now: number, accounts?: readonly string[]): Promise<number | undefined>;
  /**
   * Optional: calls `listener` when a post may have become claimable (created,
   * released, parked) by any process sharing the store, so idle workers wake
   * at once (PostgreSQL: LISTEN/NOTIFY). Resolves to the unsubscribe function.
   */
  watch?(listener: () => void): Promise<() => Promise<void>>;
  /** Records one publish of an account, for the quota ledger. */
  recordPublish(entry: LedgerEntry): Promise<void>;
  /** The account's publishes at or after `since` (epoch ms), oldest first. */
  publishesSince(account: string, since: number): Promise<readonly LedgerEntry[]>;
  /** Releases resources (file handles, pools). */
  close(): Promise<void>;
}

/** Why a stored post could not be used. */
export type StoreErrorKind = 'corrupt' | 'unknown-version' | 'stale-write' | 'io';

/** A persistence failure about one post; the store and other posts carry on. */
export class StoreError extends Error {
  override readonly name: string = 'StoreError';
  constructor(
    readonly kind: StoreErrorKind,
    readonly postId: string,
    message: string,
  ) {
    super(message);
  }
}

/** How messages name a post: `post "<key>" (<postId>)` when its key is known, else `post <postId>`; the key is quoted safely for a terminal. */
export function postName(postId: string, key?: string): string {
  return key === undefined ? `post ${postId}` : `post ${quoted(key)} (${postId})`;
}

/**
 * A stored post that cannot be read: `corrupt` (truncated, not JSON, the
 * wrong shape) or of an `unknown-version` envelope. The message says what
 * the damage is and where, never quoting the stored bytes (they may hold
 * anything, terminal escape sequences included).
 */
export class DamagedPostError extends StoreError {
  override readonly name = 'DamagedPostError';
  constructor(
    override readonly kind: 'corrupt' | 'unknown-version',
    postId: string,
    /** What is wrong, as the end of a sentence about the post: `is truncated (…)`. */
    readonly damage: string,
    /** The post's idempotency key, when known. */
    readonly key?: string,
  ) {
    super(kind, postId, `${postName(postId, key)} ${damage}`);
  }

  /** The same damage, naming the post by its idempotency key too. */
  withKey(key: string): DamagedPostError {
    return new DamagedPostError(this.kind, this.postId, this.damage, key);
  }
}

/** A compare-and-set write whose expected version was not the stored one. */
export class StaleWriteError extends StoreError {
  override readonly name = 'StaleWriteError';
  constructor(
    postId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number | undefined,
  ) {
    super('stale-write', postId, `stale write to post ${postId}: expected version ${expectedVersion}, stored ${actualVersion ?? 'none'}`);
  }
}

/** A stored `v` in words, without quoting anything but a plain integer. */
function describeVersion(v: unknown): string {
  if (v === undefined) return 'none';
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return `a ${v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v}, not a version number`;
}

/**
 * Validates a raw stored value as an envelope: an unknown `v` and a value of
 * the wrong shape become distinct, clear {@link DamagedPostError}s for that
 * post alone (naming it by `key` when given), which say where the value is
 * wrong without quoting it.
 */
export function parseEnvelope(postId: string, raw: unknown, key?: string): PostEnvelope {
  const isObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
  const v = isObject ? (raw as { v?: unknown }).v : undefined;
  if (!isObject) throw new DamagedPostError('corrupt', postId, `is corrupt: it holds a JSON ${raw === null ? 'null' : Array.isArray(raw) ? 'list' : typeof raw}, not an envelope`, key);
  if (v !== ENVELOPE_VERSION) {
    throw new DamagedPostError('unknown-version', postId, `has an unknown envelope version (${describeVersion(v)}); this igflow reads version ${ENVELOPE_VERSION}`, key);
  }
  const parsed = PostEnvelope.safeParse(raw);
  if (!parsed.success) {
    // zod's messages name the expected type or values, never the value found
    const where = parsed.error.issues.map((i) => `at ${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new DamagedPostError('corrupt', postId, `is corrupt: the wrong shape ${where}`, key);
  }
  return parsed.data;
}
