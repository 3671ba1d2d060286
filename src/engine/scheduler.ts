import type { Lease, PostEnvelope } from '../adapters/envelope.js';
import { StoreError } from '../adapters/store-errors.js';
import type { Claim, PostRepository, WorkQueue } from '../adapters/store.js';
import type { Clock } from '../time/clock.js';
import { DueQueue } from './due-queue.js';
import { defaultStoreRetryMs, StoreOutage, type RetryMs } from './store-outage.js';

/** What the scheduler needs from its engine. */
export interface SchedulerOptions {
  readonly posts: PostRepository;
  readonly queue: WorkQueue;
  readonly clock: Clock;
  readonly owner: string;
  readonly leaseMs: number;
  /** The accounts this engine can publish for: it claims their posts only. */
  readonly accounts: readonly string[];
  /** Whether a live lease of someone else may be taken over (its holder is a dead process on this machine). */
  readonly takeOver: (held: Lease) => boolean;
  /** How long to wait between tries while the store fails. */
  readonly retryMs?: RetryMs;
  /** Starts a post this engine claimed: `created` by a publish (stored and claimed in one write), or `claimed` from the store. */
  readonly run: (claim: Claim, taken: 'created' | 'claimed') => void;
  /** How many posts run here now. */
  readonly running: () => number;
  /** Whether this post runs here now. */
  readonly isRunning: (postId: string) => boolean;
  /** A post wanted here could not be claimed: it is finished, held by another live worker, gone, or its entry is damaged. */
  readonly missed: (postId: string, why: Missed) => void;
  readonly problem: (message: string) => void;
}

/** Why a wanted post was not claimed. */
export type Missed =
  | { readonly kind: 'finished'; readonly post: PostEnvelope }
  | { readonly kind: 'held'; readonly post: PostEnvelope }
  | { readonly kind: 'gone' }
  /** Its entry cannot be read or claimed; `key` when the post could be read. */
  | { readonly kind: 'unreadable'; readonly error: unknown; readonly key?: string | undefined };

/**
 * The one scheduler: every start of a post is a claim. `publish` stores
 * and claims at once (`take`); `resumeAll` wants every unfinished post of
 * the store here, each when it is due (a quota or auth wait at once); a
 * parked post is wanted again at its deadline; `work` also claims whatever
 * is due in the store, up to its concurrency, whenever the store says so
 * (LISTEN/NOTIFY), a post ends, or the next one is due. One due-queue, one
 * pump, one path from "claimed" to "running". While the store fails, the
 * pump backs off and says so once, and once more when it answers again.
 */
export class Scheduler {
  private readonly due = new DueQueue();
  private readonly outage: StoreOutage;
  private timer: { unsubscribe(): void } | undefined;
  private timerAt = Infinity;
  private pumping: Promise<void> | undefined;
  private again = false;
  private work: { readonly concurrency: number; readonly idleMs: number; resolve(): void; unwatch?: () => Promise<void> } | undefined;
  private closed = false;

  constructor(private readonly options: SchedulerOptions) {
    this.outage = new StoreOutage(options.clock, options.retryMs ?? defaultStoreRetryMs, options.problem);
  }

  /** Runs a post this engine claimed itself (a publish stores and claims in one write). */
  take(claim: Claim): void {
    this.due.delete(claim.post.postId);
    this.options.run(claim, 'created');
  }

  /** Wants a post taken up here at `dueAt` (now, or its deadline). */
  want(postId: string, dueAt: number): void {
    if (this.closed) return;
    this.due.add(postId, dueAt);
    this.nudge();
  }

  /** Stops wanting a post. */
  forget(postId: string): void {
    this.due.delete(postId);
  }

  /** Whether a post is wanted here. */
  wants(postId: string): boolean {
    return this.due.has(postId);
  }

  /**
   * Works as one of possibly many workers sharing the store: claims due
   * posts up to `concurrency` until {@link close}. Resolves then.
   */
  async runAsWorker(concurrency: number, idleMs: number): Promise<void> {
    if (this.closed) return;
    await new Promise<void>((resolve) => {
      this.work = { concurrency, idleMs, resolve };
      const watching = this.options.queue.watch?.((dueAt) => this.announced(dueAt));
      if (watching !== undefined) {
        watching.then(
          (unwatch) => {
            if (this.work === undefined || this.closed) void unwatch();
            else this.work.unwatch = unwatch;
          },
          (err: unknown) => this.options.problem(`cannot watch the store for new work (polling instead): ${err instanceof Error ? err.message : String(err)}`),
        );
      }
      this.nudge();
    });
  }

  /** Looks again now (a post ended or parked, the store announced work). */
  nudge(): void {
    if (this.closed) return;
    if (this.pumping !== undefined) {
      this.again = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      if (this.again && !this.closed) {
        this.again = false;
        this.nudge();
      }
    });
  }

  /**
   * The store announced a post that may be claimed: look now when it is
   * due, else only at its time (a post parked for later is no work now;
   * looking at once for each one kept idle workers busy querying).
   */
  private announced(dueAt: number | undefined): void {
    if (dueAt !== undefined && dueAt > this.options.clock.now()) this.arm(dueAt);
    else this.nudge();
  }

  /** Stops: no more claims; a worker's `runAsWorker` resolves once the pump is idle. */
  async close(): Promise<void> {
    this.closed = true;
    this.timer?.unsubscribe();
    this.timer = undefined;
    this.due.clear();
    await this.pumping;
    const work = this.work;
    this.work = undefined;
    await work?.unwatch?.();
    work?.resolve();
  }

  private async pump(): Promise<void> {
    this.timer?.unsubscribe();
    this.timer = undefined;
    this.timerAt = Infinity;
    let next: number | undefined;
    try {
      await this.claimWanted();
      if (this.work !== undefined) next = await this.claimDue(this.work.concurrency, this.work.idleMs);
      this.outage.answered();
    } catch (err) {
      if (this.closed) return;
      next = this.options.clock.now() + this.outage.failed(err);
      // the posts wanted now wait for the store as well
      this.due.postpone(next);
    }
    if (this.closed) return;
    const wanted = this.due.nextAt();
    this.arm(Math.min(next ?? Infinity, wanted ?? Infinity));
  }

  /** Claims the wanted posts that are due; tells the engine why any was not claimed. An outage puts them back and throws. */
  private async claimWanted(): Promise<void> {
    const now = this.options.clock.now();
    const ids = this.due.takeDue(now).filter((postId) => !this.options.isRunning(postId));
    if (ids.length === 0) return;
    let claims: readonly Claim[];
    try {
      claims = await this.claim(ids, now);
    } catch (err) {
      if (!isAboutOnePost(err)) {
        for (const postId of ids) this.due.add(postId, now);
        throw err;
      }
      // one post whose entry cannot be written must not hold the others back
      await this.claimOneByOne(ids, now);
      return;
    }
    const claimed = new Set(claims.map((c) => c.post.postId));
    for (const claim of claims) this.options.run(claim, 'claimed');
    for (const postId of ids) if (!claimed.has(postId)) await this.explainMiss(postId, now);
  }

  private async claimOneByOne(ids: readonly string[], now: number): Promise<void> {
    for (const [i, postId] of ids.entries()) {
      try {
        const [claim] = await this.claim([postId], now);
        if (claim !== undefined) this.options.run(claim, 'claimed');
        else await this.explainMiss(postId, now);
      } catch (err) {
        if (isAboutOnePost(err)) {
          this.options.missed(postId, { kind: 'unreadable', error: err });
          continue;
        }
        for (const rest of ids.slice(i)) this.due.add(rest, now);
        throw err;
      }
    }
  }

  private claim(postIds: readonly string[], now: number): Promise<readonly Claim[]> {
    return this.options.queue.claim({ owner: this.options.owner, now, until: now + this.options.leaseMs, limit: postIds.length, postIds, accounts: this.options.accounts, takeOver: this.options.takeOver });
  }

  /**
   * Says why a wanted post was not claimed. One that is free (no live
   * lease of another) yet was not claimed is claimed again alone, so the
   * store names what stops it (a file that cannot be locked); an outage
   * meanwhile is thrown, and the post wanted again.
   */
  private async explainMiss(postId: string, now: number): Promise<void> {
    let post: PostEnvelope | undefined;
    try {
      post = await this.options.posts.get(postId);
    } catch (error) {
      this.options.missed(postId, { kind: 'unreadable', error });
      return;
    }
    if (post === undefined) this.options.missed(postId, { kind: 'gone' });
    else if (post.status !== 'active') this.options.missed(postId, { kind: 'finished', post });
    else if (this.heldByAnother(post.lease, now)) this.options.missed(postId, { kind: 'held', post });
    else await this.claimAlone(postId, now, post);
  }

  private heldByAnother(lease: Lease | undefined, now: number): boolean {
    return lease !== undefined && lease.until > now && lease.owner !== this.options.owner && !this.options.takeOver(lease);
  }

  private async claimAlone(postId: string, now: number, post: PostEnvelope): Promise<void> {
    try {
      const [claim] = await this.claim([postId], now);
      if (claim !== undefined) this.options.run(claim, 'claimed');
      else this.options.missed(postId, { kind: 'held', post });
    } catch (err) {
      if (!isAboutOnePost(err)) {
        this.due.add(postId, now);
        throw err;
      }
      this.options.missed(postId, { kind: 'unreadable', error: err, key: post.key });
    }
  }

  /** A worker's claim of due posts, up to its free capacity; resolves when to look again. */
  private async claimDue(concurrency: number, idleMs: number): Promise<number> {
    const { queue, clock, owner, leaseMs, accounts, takeOver } = this.options;
    const now = clock.now();
    const capacity = concurrency - this.options.running();
    if (capacity > 0) {
      const claims = await queue.claim({ owner, now, until: now + leaseMs, limit: capacity, accounts, takeOver });
      for (const claim of claims) this.options.run(claim, 'claimed');
      // all taken: there may be more right away
      if (claims.length > 0 && claims.length === capacity) return now;
    }
    const nextDue = capacity > 0 ? await queue.nextDueAt(now, accounts) : undefined;
    // nothing free to take (we are full, or another worker just won the race): a short while, or a nudge
    if (nextDue !== undefined && nextDue <= now) return now + Math.min(idleMs, 50);
    return Math.min(nextDue ?? Infinity, now + idleMs);
  }

  private arm(at: number): void {
    if (!Number.isFinite(at) || this.closed) return;
    if (at >= this.timerAt) return;
    this.timer?.unsubscribe();
    this.timerAt = at;
    this.timer = this.options.clock.schedule(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.nudge();
    }, Math.max(0, at - this.options.clock.now()));
  }
}

/** Whether a store error is about one post's entry (a file that cannot be written), not the store as a whole (an outage). */
function isAboutOnePost(err: unknown): boolean {
  return err instanceof StoreError && err.postId !== '';
}
