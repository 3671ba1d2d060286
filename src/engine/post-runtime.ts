import { createActor, type AnyActorLogic, type AnyActorRef, type InspectionEvent } from 'xstate';
import { StaleWriteError, StoreError, type PostEnvelope, type PostResult, type Store } from '../adapters/store.js';
import type { WaitReason } from '../machines/progress.js';
import type { Clock } from '../time/clock.js';
import { holdClock } from '../time/hold.js';
import { activeState } from './snapshot-summary.js';

/** What a live post needs from its engine. */
export interface RuntimeContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly logicFor: (machine: PostEnvelope['machine']) => AnyActorLogic;
  readonly inspect: (postId: string, root: () => AnyActorRef | undefined, event: InspectionEvent) => void;
  /** The post's machine reached a final state and its outcome is stored. */
  readonly finished: (runtime: PostRuntime, output: unknown) => void;
  /** The post was parked in the store until `wakeAt`. */
  readonly parked: (runtime: PostRuntime, wakeAt: number) => void;
  /**
   * The engine must stop working on the post (lost lease, store failure, a
   * bug). `storeFailed`: a write failed with a StoreError of kind `io` (the
   * store is unreachable), so the post is as last stored, under this
   * engine's lease, and may be taken up again once the store answers.
   */
  readonly interrupted: (runtime: PostRuntime, reason: string, storeFailed: boolean) => void;
}

/** The stored outcome of a machine's output. */
function resultOf(output: unknown): PostResult {
  const out = (output ?? {}) as { outcome?: string; mediaId?: string; containerId?: string; error?: Record<string, unknown> };
  return out.outcome === 'published'
    ? { outcome: 'published', ...(out.mediaId === undefined ? {} : { mediaId: out.mediaId }), ...(out.containerId ? { containerId: out.containerId } : {}) }
    : { outcome: 'failed', error: out.error ?? { message: 'no output' } };
}

/**
 * One post with a live actor in this engine. It owns the post's stored
 * envelope and its version (the fencing token): every write is a
 * compare-and-set, writes are serialised, and a checkpoint resolves only
 * once the snapshot that asks for an effect is stored (design.md
 * invariant 1). A refused write means another worker has the post: the
 * actor stops at once and nothing more is sent.
 */
export class PostRuntime {
  private actor: AnyActorRef | undefined;
  private queue: Promise<void> = Promise.resolve();
  private pendingCheckpoint: Promise<void> | undefined;
  private liveEffects = 0;
  /** The snapshot as last stored, serialised: a checkpoint with nothing new to store writes nothing. */
  private storedSnapshot: string;
  private stopped = false;
  private broken = false;

  constructor(
    private envelope: PostEnvelope,
    private readonly ctx: RuntimeContext,
  ) {
    this.storedSnapshot = JSON.stringify(envelope.snapshot);
  }

  /** The post id. */
  get postId(): string {
    return this.envelope.postId;
  }

  /** The top-level state of the live actor. */
  get state(): string {
    return activeState(this.actor?.getSnapshot());
  }

  /**
   * Whether this engine still holds the post's lease with time to spare; if
   * not, the post is stopped here (its new holder carries on) and false is
   * returned. Asked right before a publish is sent.
   */
  holds(owner: string, marginMs: number): boolean {
    const lease = this.envelope.lease;
    if (!this.broken && lease?.owner === owner && lease.until > this.ctx.clock.now() + marginMs) return true;
    this.interrupt('the lease on this post ran out before the publish could be sent');
    return false;
  }

  /** Whether a wait is the only work left (so the post can be parked in the store). */
  get onlyWaiting(): boolean {
    return this.liveEffects === 1;
  }

  /** Restores the actor from the stored snapshot and starts it; RESTORED tells a publish in flight to verify first. */
  start(): void {
    const logic = this.ctx.logicFor(this.envelope.machine);
    const actor = createActor(logic, {
      snapshot: this.envelope.snapshot as never,
      inspect: (event) => this.ctx.inspect(this.postId, () => this.actor, event),
    });
    this.actor = actor;
    actor.subscribe({
      next: (snapshot: { status?: string; output?: unknown }) => {
        // after XState has finished its own step: stopping the actor inside its observer is not safe
        if (snapshot.status === 'done' && !this.stopped) queueMicrotask(() => this.finish(snapshot.output));
      },
      error: (err: unknown) => this.interrupt(`the machine failed: ${err instanceof Error ? err.message : String(err)}`),
    });
    actor.start();
    if (!this.stopped) actor.send({ type: 'RESTORED' });
  }

  /** An effect started; the returned function marks it ended. */
  track(): () => void {
    this.liveEffects += 1;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.liveEffects -= 1;
    };
  }

  /**
   * Stores the current snapshot before an effect proceeds. Checkpoints asked
   * for together share one write; the write starts after the current
   * macrostep, so it holds whatever that step decided.
   */
  checkpoint(): Promise<void> {
    if (this.stopped) return Promise.reject(new Error(`post ${this.postId} is not running here any more`));
    this.pendingCheckpoint ??= this.enqueue(async () => {
      this.pendingCheckpoint = undefined;
      await this.write({});
    }).then((stored) => {
      // the write failed: the post is interrupted and its actor stopped, so the effect waiting here never runs
      if (!stored) throw new Error(`post ${this.postId} could not be stored`);
    });
    return this.pendingCheckpoint;
  }

  /**
   * Renews this engine's lease on the post: a compare-and-set write of the
   * post as this engine last stored it, so a worker that was frozen while
   * another took the post (and perhaps finished it) is refused rather than
   * handed the post back.
   */
  async renewLease(owner: string, until: number): Promise<void> {
    if (this.stopped) return;
    await this.enqueue(() => this.write({ lease: { owner, until } }));
  }

  /** Stops the actor and stores the post with its deadline, why it waits, and no lease: it waits in the store, not in memory. */
  park(wakeAt: number, reason: WaitReason): void {
    const snapshot = this.halt();
    void this.enqueue(async () => {
      await this.write({ snapshot, wakeAt, waitReason: reason, lease: undefined });
      this.ctx.parked(this, wakeAt);
    });
  }

  /**
   * Stops at a safe point: the last snapshot is stored, the lease given up;
   * a post that was only waiting keeps its deadline (`wait`), so it stays
   * parked for whoever takes it up next.
   */
  async shutdown(wait?: { readonly wakeAt: number; readonly reason: WaitReason }): Promise<void> {
    if (this.broken) return;
    if (this.stopped) return this.queue;
    const parked = wait !== undefined && this.onlyWaiting ? { wakeAt: wait.wakeAt, waitReason: wait.reason } : {};
    const snapshot = this.halt();
    await this.enqueue(() => this.write({ snapshot, lease: undefined, ...parked }));
  }

  private finish(output: unknown): void {
    if (this.stopped) return;
    const snapshot = this.halt();
    const result = resultOf(output);
    void this.enqueue(async () => {
      await this.write({ snapshot, status: result.outcome, result, lease: undefined });
      this.ctx.finished(this, output);
    });
  }

  private interrupt(reason: string, storeFailed = false): void {
    if (this.broken) return;
    this.broken = true;
    this.halt();
    this.ctx.interrupted(this, reason, storeFailed);
  }

  /** Stops the actor (aborting its effects) and returns its last snapshot. */
  private halt(): unknown {
    const actor = this.actor;
    const snapshot = actor?.getPersistedSnapshot();
    this.stopped = true;
    this.actor = undefined;
    actor?.stop();
    return snapshot ?? this.envelope.snapshot;
  }

  private async write(changes: Partial<PostEnvelope>): Promise<void> {
    const snapshot = 'snapshot' in changes ? changes.snapshot : this.actor?.getPersistedSnapshot();
    const serialised = JSON.stringify(snapshot);
    if (Object.keys(changes).length === 0 && serialised === this.storedSnapshot && this.envelope.wakeAt === undefined) return;
    const next: PostEnvelope = {
      ...this.envelope,
      wakeAt: undefined,
      waitReason: undefined,
      ...changes,
      snapshot,
      state: activeState(this.actor?.getSnapshot() ?? snapshot),
      updatedAt: this.ctx.clock.now(),
    };
    this.envelope = await this.ctx.store.put(next, this.envelope.version);
    this.storedSnapshot = serialised;
  }

  /**
   * Runs store work one at a time, holding the clock meanwhile (a virtual
   * clock must not jump while a write is on its way). Resolves true once the
   * work is done; false when it failed (the post is then interrupted, and
   * any work queued after it is skipped) or the post was interrupted before.
   */
  private enqueue(work: () => Promise<void>): Promise<boolean> {
    const run = this.queue.then(async () => {
      if (this.broken) return false;
      const release = holdClock(this.ctx.clock);
      try {
        await work();
        return true;
      } catch (err) {
        const reason = err instanceof StaleWriteError ? 'another worker holds this post' : `the store failed: ${err instanceof Error ? err.message : String(err)}`;
        this.interrupt(reason, err instanceof StoreError && err.kind === 'io');
        return false;
      } finally {
        release();
      }
    });
    this.queue = run.then(() => undefined);
    return run;
  }
}
