import type { Clock } from '../time/clock.js';
import type { Lease, NewPost, PostChanges, PostEnvelope, PostStatus } from './envelope.js';
import type { PostOutcome } from '../machines/outcome.js';
import type { StoreError } from './store-errors.js';

/**
 * The persistence contract, split by job as BullMQ splits its backends:
 * the posts themselves, the work queue that hands them to workers, the
 * ledger of publishes and the shared brakes. Every adapter (memory, file,
 * PostgreSQL) implements all four and passes each interface's conformance suite
 * (test/adapters/*-conformance.ts). Every method is safe to call
 * concurrently from several engines sharing the store.
 */

/** One unreadable post found while listing: the others carry on. */
export interface StoreProblem {
  readonly postId: string;
  /** The post's idempotency key, when the store could tell without reading the damaged post. */
  readonly key?: string;
  readonly error: StoreError;
}

/** The outcome of a listing: the readable posts, and the problems with the others. */
export interface Listing {
  readonly posts: readonly PostEnvelope[];
  readonly problems: readonly StoreProblem[];
}

/**
 * Which posts a listing returns: those that match every filter given
 * (engine.list, `igflow status --state … --account … --key … --from … --to …`).
 * PostgreSQL answers it from indexes (migration 5), never by reading every post.
 */
export interface PostQuery {
  /** `unfinished`: status active; `all` (default): every post. */
  readonly status?: 'unfinished' | 'all';
  /** Where the post is, in one word (its envelope `state`: `scheduled`, `ready`, `published`, `cancelled`…). */
  readonly state?: string;
  /** The Instagram account (IG user id). */
  readonly account?: string;
  /** The idempotency key (the spec's `id`). */
  readonly key?: string;
  /** Posts going live at or after this (their `publishAt`, epoch ms); posts without one are left out when `from` or `to` is given. */
  readonly from?: number;
  /** Posts going live before this (epoch ms). */
  readonly to?: number;
}

/** The outcome of `create`: the new post (with its claim, when one was asked for), or the one that already holds the idempotency key. */
export type CreateResult =
  | { readonly created: true; readonly post: PostEnvelope; readonly claim: Claim | undefined }
  | { readonly created: false; readonly post: PostEnvelope };

/** A claim on a post: the post as the claimer holds it, and its lease. Every write of the post by the claimer is checked against it. */
export interface Claim {
  readonly post: PostEnvelope;
  readonly lease: Lease;
}

/** Posts, created and read; what a post is, apart from who works on it. */
export interface PostRepository {
  /**
   * Stores a new post at version 1, claimed for `claimFor` when given (one
   * write: `publish` stores and claims at once). Atomic on the idempotency
   * key: when another post holds it, nothing is written and that post is
   * returned (two racing creates make one post). A `postId` already used by
   * another post is refused with StaleWriteError.
   */
  create(post: NewPost, claimFor?: { readonly owner: string; readonly until: number }): Promise<CreateResult>;
  /** Reads a post; undefined when absent. Throws a StoreError (damaged, unknown version) for that post alone. */
  get(postId: string): Promise<PostEnvelope | undefined>;
  /** Finds the post holding an idempotency key. */
  findByKey(key: string): Promise<PostEnvelope | undefined>;
  /** The posts a query names, oldest first, with the problems of unreadable ones (those the store cannot tell apart from matches). */
  list(query?: PostQuery): Promise<Listing>;
  /**
   * Compare-and-set of a post's content by someone who does not hold it
   * (an app's edit): written if the stored version is still
   * `expectedVersion`, returned with the next version; StaleWriteError
   * otherwise. The key and the lease are left as they are; a holder's next
   * write is then refused, so it sees the change.
   */
  put(post: PostEnvelope, expectedVersion: number): Promise<PostEnvelope>;
}

/** Options of {@link WorkQueue.claim}. */
export interface ClaimRequest {
  readonly owner: string;
  /** The leases granted run out at this time (epoch ms). */
  readonly until: number;
  /** The current time, from the engine's clock. */
  readonly now: number;
  /** At most this many posts. */
  readonly limit: number;
  /**
   * These posts (unfinished, due or not), not the due ones: a post this
   * owner holds but no longer runs (it stopped on a store failure) may be
   * claimed again. Without it, due posts (no `wakeAt`, or `wakeAt <= now`)
   * that are free, earliest due first, never one the owner holds.
   */
  readonly postIds?: readonly string[];
  /** Only posts of these accounts (a worker cannot publish for an account it has no token for); all when absent. */
  readonly accounts?: readonly string[];
  /** Whether a live lease held by someone else may be taken over anyway (its holder is a dead process on this machine). Expired leases are always free. */
  readonly takeOver?: (held: Lease) => boolean;
}

/** A lease as its holder names it for a renewal. */
export interface LeaseRef {
  readonly postId: string;
  readonly token: string;
}

/**
 * The work queue: who works on which post. Every state change of a claimed
 * post is one operation checked against its claim (the lease token and the
 * post's version); a refused one throws LeaseLostError, and its writer must
 * stop working on the post.
 */
export interface WorkQueue {
  /** Leases posts to `owner` (a new token each); returns the claims, in due order. Safe when several workers claim at once: a post goes to one of them. */
  claim(request: ClaimRequest): Promise<readonly Claim[]>;
  /** Extends many leases of `owner` at once, writing only lease data; resolves to the ids whose lease is no longer theirs. */
  renew(owner: string, held: readonly LeaseRef[], until: number): Promise<readonly string[]>;
  /** Writes a claimed post's progress (a checkpoint before an effect); resolves to the claim at the new version. */
  save(claim: Claim, changes: PostChanges): Promise<Claim>;
  /** Writes the post parked until `wakeAt` (why: `waitReason`) and gives its lease up: any worker takes it up when it is due. */
  park(claim: Claim, changes: PostChanges & { readonly wakeAt: number }): Promise<void>;
  /** Writes the post's outcome (`status` and `result`) and gives its lease up. */
  finish(claim: Claim, changes: PostChanges & Required<Pick<PostChanges, 'status' | 'result'>>): Promise<void>;
  /** Gives the lease up, writing `changes` first when given (a shutdown at a safe point). */
  release(claim: Claim, changes?: PostChanges): Promise<void>;
  /** When the first unfinished post of these accounts is both due and free: `now` if one already is; undefined when none waits. */
  nextDueAt(now: number, accounts?: readonly string[]): Promise<number | undefined>;
  /**
   * Optional: calls `listener` when a post may have become claimable
   * (created, released, parked) by any process sharing the store, so idle
   * workers wake at once (PostgreSQL: LISTEN/NOTIFY). `dueAt` is when that
   * post is due (its `wakeAt`), so a worker need not look before then;
   * undefined when it is due now or the store cannot tell (a lost
   * connection may have missed announcements). Resolves to the function
   * that stops listening.
   */
  watch?(listener: (dueAt?: number) => void): Promise<() => Promise<void>>;
}

/** One publish, for the account's client-side quota ledger (docs/graph-api.md#the-publishing-quota). */
export interface LedgerEntry {
  readonly account: string;
  readonly postId: string;
  readonly at: number;
}

/** What a slot of an account's moving window is for: a publish (the daily quota) or a container creation (400 per 24 h). */
export type SlotKind = 'publish' | 'container';

/** Options of {@link PublishLedger.takeSlot}. */
export interface SlotRequest {
  readonly account: string;
  readonly postId: string;
  readonly kind: SlotKind;
  /** The current time, from the engine's clock. */
  readonly now: number;
  /** The moving window's length (24 h). */
  readonly windowMs: number;
  /** How many the window allows. */
  readonly total: number;
  /**
   * Publishes only: what Instagram counted (`quota_usage`) when it was last
   * read, at `at`. The count is then at least `used` plus the ledger's
   * publishes since `at` (Instagram may know publishes this ledger does not).
   */
  readonly floor?: { readonly used: number; readonly at: number } | undefined;
  /** Publishes only: the reservation lasts until then (epoch ms), unless the publish is recorded first. */
  readonly until: number;
}

/** The outcome of {@link PublishLedger.takeSlot}: `used` is the count before this slot was taken (or refused). */
export type SlotAnswer =
  | { readonly ok: true; readonly used: number }
  /** `freesAt`: when enough counted entries leave the window for a slot to free; undefined when the ledger cannot tell (Instagram counts publishes it does not know). */
  | { readonly ok: false; readonly used: number; readonly freesAt: number | undefined };

/** The ledger of publishes (and container creations), per account, for the daily quota and the container budget. */
export interface PublishLedger {
  /** Records one publish, and frees the post's publish reservation in the same operation. */
  recordPublish(entry: LedgerEntry): Promise<void>;
  /** The account's publishes at or after `since` (epoch ms), oldest first. */
  publishesSince(account: string, since: number): Promise<readonly LedgerEntry[]>;
  /**
   * One atomic operation, safe when any number of workers race: counts the
   * account's entries of `kind` in the window (publishes: the stricter of
   * the ledger and `floor`, plus the live reservations of other posts) and,
   * when the count is below `total`, takes the slot: a publish reservation
   * for the post (replacing its own earlier one), or a container creation
   * recorded in the ledger. Nothing is written when it is refused.
   */
  takeSlot(request: SlotRequest): Promise<SlotAnswer>;
}

/** An account's (or the app's) brake, as every worker sharing the store sees it. */
export interface BrakeState {
  /** `account:<igUserId>` or `app`. */
  readonly key: string;
  /** No call of the key goes before this (epoch ms); 0 when never blocked. */
  readonly blockedUntil: number;
  /** Throttle answers in a row, for the backoff when Instagram gives no hint. */
  readonly strikes: number;
  /** The highest usage percentage of the last usage reading. */
  readonly peakPercent: number;
  /** When that reading was made (epoch ms); usage older than a few units is ignored. */
  readonly usageAt: number;
}

/**
 * The shared brakes (docs/design.md#many-workers-one-client-of-instagram): one per
 * account and one for the app. Written only when a worker sees a throttle
 * answer or a change of usage; read once by each worker and then kept up
 * to date by `watch` (PostgreSQL: NOTIFY), or read again before calls when
 * the store cannot watch (the file store, whose read is one small file).
 */
export interface BrakeBoard {
  /**
   * Merges `state` into the stored brake in one operation: the later
   * `blockedUntil` wins, the newer usage reading wins, strikes take the
   * larger count (or 0 when `state` resets them with a newer reading).
   * Resolves to the brake as stored.
   */
  raise(state: BrakeState): Promise<BrakeState>;
  /** Every stored brake. */
  read(): Promise<readonly BrakeState[]>;
  /**
   * Optional: calls `listener` with each brake any store object sharing
   * the backend raised (this one's too); with undefined when some may have
   * been missed (read them again). Resolves to the function that stops.
   */
  watch?(listener: (state: BrakeState | undefined) => void): Promise<() => Promise<void>>;
}

/**
 * One finished post, as the outbox keeps it. Written in the same atomic
 * operation as the write that finished the post (PostgreSQL: a trigger in
 * the same transaction; file store: a durable marker before the finish is
 * committed; memory: the same synchronous step), so no finish is without
 * its entry.
 */
export interface OutboxEntry {
  /** The entry's id in its store, unique: what a webhook delivery is named by (`igflow-delivery`). */
  readonly id: string;
  readonly postId: string;
  /** The post's idempotency key, when it has one. */
  readonly key?: string;
  readonly account: string;
  /** How the post ended: any status but `active`. */
  readonly status: Exclude<PostStatus, 'active'>;
  /** The post's stored result (published with its media id, failed with its error). */
  readonly result?: PostOutcome;
  /** When the post finished (epoch ms, the finisher's clock). */
  readonly at: number;
}

/** How {@link Outbox.follow} looks for new entries where the store cannot be told (the file store polls). */
export interface FollowOptions {
  /** The clock of the polls (the engine's). */
  readonly clock: Clock;
  /** How often a store that polls looks (ms). */
  readonly pollMs: number;
}

/** An outbox entry leased to one webhook deliverer. */
export interface DeliveryClaim {
  readonly entry: OutboxEntry;
  /** New for every claim: `delivered` and `retryAt` are checked against it. */
  readonly token: string;
  /** The failed attempts so far. */
  readonly attempts: number;
}

/** Options of {@link Outbox.claimDeliveries}. */
export interface DeliveryRequest {
  readonly owner: string;
  /** The current time, from the engine's clock. */
  readonly now: number;
  /** The leases granted run out at this time (epoch ms). */
  readonly until: number;
  readonly limit: number;
}

/** Options of {@link Outbox.prune}. */
export interface PruneRequest {
  /** Entries of posts that finished before this time (epoch ms, the engine's clock) may go, once delivered. */
  readonly before: number;
  /** The most entries one call removes (the caller calls again while it gets this many). */
  readonly limit: number;
}

/**
 * The outbox of finished posts: what `engine.outcomes$` follows and what
 * webhook deliverers send, at least once each, from any process sharing
 * the store.
 */
export interface Outbox {
  /**
   * Calls `listener` with every entry written after the returned promise
   * resolves, by any process sharing the store (PostgreSQL: LISTEN/NOTIFY;
   * file store: a poll of the outbox directory; memory: at once), and
   * possibly some written shortly before. Resolves to the function that stops.
   */
  follow(listener: (entry: OutboxEntry) => void, options: FollowOptions): Promise<() => Promise<void>>;
  /**
   * Leases undelivered entries whose next attempt is due at `now`, oldest
   * first, each to one claimer at a time (a live lease of another is never
   * handed out; a lease that ran out is).
   */
  claimDeliveries(request: DeliveryRequest): Promise<readonly DeliveryClaim[]>;
  /** Marks a claimed entry delivered and gives its lease up; false (nothing written) when the lease is no longer the claim's. */
  delivered(claim: DeliveryClaim, at: number): Promise<boolean>;
  /** Gives a claimed entry's lease up, one failed attempt more, to be tried again at `nextAt`; false when the lease is no longer the claim's. */
  retryAt(claim: DeliveryClaim, nextAt: number): Promise<boolean>;
  /** When the first undelivered entry is due and free (`now` if one is); undefined when every entry is delivered. */
  nextDeliveryAt(now: number): Promise<number | undefined>;
  /**
   * Removes up to `limit` entries that are delivered and whose post
   * finished before `before`, oldest first; resolves to how many it
   * removed. An undelivered entry is never removed, however old (nor one
   * under a lease: a leased entry is undelivered): at least once means an
   * outcome stays until a receiver took it, so a webhook that has been
   * failing for longer than any retention still gets it once it answers,
   * and its failed attempts go on being `problem` events meanwhile
   * (docs/design.md#pruning-the-outbox). A stale claim on a removed entry
   * marks nothing (`delivered` and `retryAt` resolve false).
   */
  prune(request: PruneRequest): Promise<number>;
}

/** A store: its posts, its work queue, its ledger and its outbox, over one backend. */
export interface Store {
  readonly posts: PostRepository;
  readonly queue: WorkQueue;
  readonly ledger: PublishLedger;
  /** The shared brakes of the accounts and the app. */
  readonly brakes: BrakeBoard;
  readonly outbox: Outbox;
  /** Releases resources (file handles, pools). */
  close(): Promise<void>;
}
