import { createActor, type AnyActorLogic, type AnyActorRef, type InspectionEvent } from 'xstate';
import type { MachineKind, PostChanges, PostEnvelope } from '../adapters/envelope.js';
import { LeaseLostError, StoreError } from '../adapters/store-errors.js';
import type { Claim, LeaseRef, WorkQueue } from '../adapters/store.js';
import type { CheckpointPurpose, EffectKind } from '../effects/effect-deps.js';
import type { MachineOutcome, PostOutcome } from '../machines/outcome.js';
import type { MachineEmitted, WaitReason } from '../machines/progress.js';
import type { Clock } from '../time/clock.js';
import { cancelledAt } from '../manage/cancel.js';

/** How a runner ended, for the engine. */
export type RunnerEnd =
  /** The machine reached its outcome and it is stored. */
  | { readonly kind: 'finished'; readonly outcome: PostOutcome }
  /** Only waits were left: the post is stored until `wakeAt` and its lease given up. */
  | { readonly kind: 'parked'; readonly wakeAt: number; readonly reason: WaitReason }
  /** This engine stopped working on the post: its lease passed to another worker, the store failed (`storeFailed`), or a bug. */
  | { readonly kind: 'interrupted'; readonly reason: string; readonly storeFailed: boolean }
  /** The engine shut down: the post is stored at a safe point, its lease given up. */
  | { readonly kind: 'stopped' }
  /** The post was cancelled (here or elsewhere) before its publish: the store holds it `cancelled`, this runner wrote nothing more. */
  | { readonly kind: 'cancelled'; readonly at: number }
  /** The post was changed in the store (a reschedule) while this engine held it: its lease is still this engine's, and it is taken up again from the store. */
  | { readonly kind: 'edited' };

/** What a runner needs from its engine. */
export interface RunnerContext {
  readonly queue: WorkQueue;
  /** Reads the post again: a refused write may be a cancel stored meanwhile. */
  readonly read: (postId: string) => Promise<PostEnvelope | undefined>;
  readonly clock: Clock;
  /** The provided machine a post runs. */
  readonly logicFor: (machine: MachineKind) => AnyActorLogic;
  /** The input a post not started yet (no snapshot) starts its machine from: its stored spec's plan. Throws a StoreError when the spec cannot be read. */
  readonly inputOf: (post: PostEnvelope) => unknown;
  /** Waits at least this long park the post instead of holding its actor. */
  readonly parkAfterMs: number;
  /** A publish is sent only while the lease has at least this long left. */
  readonly leaseMarginMs: number;
  /** Every inspection event of the post's actors (the user's inspector). */
  readonly inspect: (postId: string, event: InspectionEvent) => void;
  /** Everything the post's machines emit (progress, waits). */
  readonly emitted: (postId: string, emitted: MachineEmitted) => void;
  /** The runner is done with the post. */
  readonly ended: (runner: PostRunner, end: RunnerEnd) => void;
}

/**
 * One post with a live actor in this engine: the post runner. It owns the
 * post's claim (its lease token and version), restores the machine from
 * the claimed snapshot and says RESTORED, stores a checkpoint before every
 * effect (persist before effect: an effect waits for it), parks the post
 * in the store when waits are all that is left, stores its outcome, and
 * stops when told its lease is lost (the machine hears LEASE_LOST and ends
 * `interrupted`, writing nothing). Store writes go one at a time, each
 * checked against the claim; a refused one interrupts the post at once.
 */
export class PostRunner {
  private actor: AnyActorRef | undefined;
  private writes: Promise<void> = Promise.resolve();
  private pendingCheckpoint: Promise<void> | undefined;
  private readonly effects = new Map<number, EffectKind>();
  private nextEffect = 0;
  /** Waits the machines announced, by deadline: a park names its reason from the one that ends first. */
  private readonly waits = new Map<number, WaitReason>();
  /** Where the post is, in one word, as its machine last said. */
  private state: string;
  /** The snapshot as last stored, serialised: a checkpoint with nothing new writes nothing. */
  private stored: string;
  private parkCheck = false;
  /** A pre-publish checkpoint was asked for: the next checkpoint write happens whatever changed, and marks the post. */
  private publishing = false;
  /** The actor is stopped: nothing more runs here. */
  private done = false;
  /** The end was reported to the engine (exactly once). */
  private over = false;
  /** A store write failed: later writes are skipped. */
  private broken = false;
  /**
   * A new post no effect has answered yet: what it would checkpoint follows
   * from its stored spec alone (a restart from the spec asks for the same
   * things), so checkpoints write nothing until the first answer arrives.
   */
  private pristine: boolean;

  constructor(
    private claim: Claim,
    private readonly ctx: RunnerContext,
  ) {
    this.state = claim.post.state;
    this.stored = JSON.stringify(claim.post.snapshot);
    this.pristine = claim.post.snapshot === undefined;
  }

  /** The post id. */
  get postId(): string {
    return this.claim.post.postId;
  }

  /** The post's key, when it has one. */
  get key(): string | undefined {
    return this.claim.post.key;
  }

  /** The lease as this runner holds it, for a batched renewal. */
  get lease(): LeaseRef {
    return { postId: this.postId, token: this.claim.lease.token };
  }

  /**
   * Starts the machine: a post not started yet from its plan, told START;
   * any other restored from the claimed snapshot and told RESTORED (a new
   * process took it up). A post whose stored spec cannot be read ends
   * `interrupted` here, and stays in the store as it is.
   */
  start(): void {
    const { post } = this.claim;
    let begin: { readonly input: unknown } | { readonly snapshot: never };
    try {
      begin = post.snapshot === undefined ? { input: this.ctx.inputOf(post) } : { snapshot: post.snapshot as never };
    } catch (err) {
      this.done = true;
      void this.write(() => this.ctx.queue.release(this.claim)).then(() => this.report({ kind: 'interrupted', reason: err instanceof Error ? err.message : String(err), storeFailed: false }));
      return;
    }
    const actor = createActor(this.ctx.logicFor(post.machine), {
      ...begin,
      inspect: (event) => {
        // every actor of the post (nested containers, carousel items, stories) announces what it does with emit()
        if (event.type === '@xstate.actor') (event.actorRef as AnyActorRef).on('*', (emitted: MachineEmitted) => this.onEmitted(emitted));
        this.ctx.inspect(this.postId, event);
      },
    });
    this.actor = actor;
    actor.subscribe({
      next: (snapshot: { status?: string; output?: unknown }) => {
        // after XState has finished its own step: stopping the actor inside its observer is not safe
        if (snapshot.status === 'done') queueMicrotask(() => this.finish(snapshot.output as MachineOutcome));
      },
      error: (err: unknown) => {
        this.halt();
        this.report({ kind: 'interrupted', reason: `the machine failed: ${err instanceof Error ? err.message : String(err)}`, storeFailed: false });
      },
    });
    actor.start();
    if (!this.done) actor.send({ type: 'snapshot' in begin ? 'RESTORED' : 'START' });
    // the stored time, which a reschedule may have moved since the snapshot was taken (a machine with that time already ignores it)
    if (!this.done && 'snapshot' in begin && post.publishAt !== undefined) actor.send({ type: 'RESCHEDULE', publishAt: post.publishAt, at: this.ctx.clock.now() });
  }

  /** An effect started; the returned function marks it ended. Waits tell until when, so the post can be parked. */
  track(kind: EffectKind): () => void {
    const id = this.nextEffect++;
    this.effects.set(id, kind);
    this.considerParking();
    return () => {
      this.effects.delete(id);
      if (kind.kind === 'work') this.pristine = false;
      this.considerParking();
    };
  }

  /**
   * Stores the current snapshot before an effect proceeds (not while the
   * post is pristine). Checkpoints asked for together share one write. The
   * pre-publish one (`publish`) is always written, and marks the post
   * `publishingSince`: a compare-and-set of the post (a cancel) stored
   * before it makes this write refused, so the publish is never sent; one
   * stored after it finds the mark and answers too late.
   */
  checkpoint(purpose: CheckpointPurpose = 'step'): Promise<void> {
    if (this.done) return Promise.reject(new Error(`post ${this.postId} is not running here any more`));
    if (purpose === 'publish') this.publishing = true;
    else if (this.pristine) return Promise.resolve();
    this.pendingCheckpoint ??= this.write(async () => {
      this.pendingCheckpoint = undefined;
      const snapshot = this.actor?.getPersistedSnapshot();
      const serialised = JSON.stringify(snapshot);
      const mark = this.publishing && this.claim.post.publishingSince === undefined ? { publishingSince: this.ctx.clock.now() } : {};
      if (!this.publishing && serialised === this.stored && this.claim.post.state === this.state && this.claim.post.wakeAt === undefined) return;
      this.publishing = false;
      this.claim = await this.ctx.queue.save(this.claim, { snapshot, state: this.state, updatedAt: this.ctx.clock.now(), ...mark });
      this.stored = serialised;
    }).then((ok) => {
      // the write failed: the post is interrupted and its actor stopped, so the effect waiting here never runs
      if (!ok) throw new Error(`post ${this.postId} could not be stored`);
    });
    return this.pendingCheckpoint;
  }

  /** Whether this engine still holds the post with time to spare (asked right before a publish). When not, the machine is told. */
  holds(): boolean {
    if (!this.done && this.claim.lease.until > this.ctx.clock.now() + this.ctx.leaseMarginMs) return true;
    this.leaseLost('the lease on this post ran out before the publish could be sent');
    return false;
  }

  /** The store renewed the lease until `until`. */
  extend(until: number): void {
    this.claim = { post: this.claim.post, lease: { ...this.claim.lease, until } };
  }

  /** The post was cancelled in the store (by this engine): the actor stops, writing nothing. */
  cancelled(at: number): void {
    if (this.done) return;
    this.halt();
    this.report({ kind: 'cancelled', at });
  }

  /** The post was changed in the store by this engine (a reschedule): the actor stops, writing nothing, to be taken up again from the store. */
  edited(): void {
    if (this.done) return;
    this.halt();
    this.report({ kind: 'edited' });
  }

  /** Another worker holds the post now: the machine stops where it is (`interrupted`), writing nothing. */
  leaseLost(reason: string): void {
    if (this.done) return;
    this.actor?.send({ type: 'LEASE_LOST', reason });
  }

  /** Stops at a safe point (shutdown): the last snapshot is stored and the lease given up; a post only waiting keeps its deadline. */
  async stop(): Promise<void> {
    if (this.done) return this.writes;
    const wait = this.onlyWaitingUntil();
    const snapshot = this.halt();
    const parked = wait === undefined ? {} : { wakeAt: wait, waitReason: this.reasonFor(wait) };
    const ok = await this.write(() => this.ctx.queue.release(this.claim, { snapshot, state: this.state, updatedAt: this.ctx.clock.now(), ...parked }));
    if (ok) this.report({ kind: 'stopped' });
  }

  private onEmitted(emitted: MachineEmitted): void {
    if (emitted.type === 'state') this.state = emitted.state;
    if (emitted.type === 'waiting') this.waits.set(emitted.until, emitted.reason);
    this.ctx.emitted(this.postId, emitted);
  }

  /** The deadline of the earliest wait, when waits are all that is running; undefined otherwise. */
  private onlyWaitingUntil(): number | undefined {
    let until: number | undefined;
    for (const effect of this.effects.values()) {
      if (effect.kind !== 'wait') return undefined;
      until = until === undefined ? effect.wakeAt : Math.min(until, effect.wakeAt);
    }
    return until;
  }

  private reasonFor(wakeAt: number): WaitReason {
    return this.waits.get(wakeAt) ?? 'processing';
  }

  /** After this step, when only waits are left and the first ends far enough away: park the post in the store. */
  private considerParking(): void {
    if (this.parkCheck || this.done) return;
    this.parkCheck = true;
    queueMicrotask(() => {
      this.parkCheck = false;
      const wakeAt = this.onlyWaitingUntil();
      if (this.done || wakeAt === undefined || wakeAt - this.ctx.clock.now() < this.ctx.parkAfterMs) return;
      const snapshot = this.halt();
      const reason = this.reasonFor(wakeAt);
      void this.write(async () => {
        await this.ctx.queue.park(this.claim, { snapshot, state: this.state, wakeAt, waitReason: reason, updatedAt: this.ctx.clock.now() });
        this.report({ kind: 'parked', wakeAt, reason });
      });
    });
  }

  private finish(outcome: MachineOutcome): void {
    if (this.done) return;
    const snapshot = this.halt();
    if (outcome.outcome === 'interrupted') {
      this.report({ kind: 'interrupted', reason: outcome.reason, storeFailed: false });
      return;
    }
    const changes: PostChanges & Required<Pick<PostChanges, 'status' | 'result'>> = { snapshot, state: outcome.outcome, status: outcome.outcome, result: outcome, updatedAt: this.ctx.clock.now() };
    void this.write(async () => {
      await this.ctx.queue.finish(this.claim, changes);
      this.report({ kind: 'finished', outcome });
    });
  }

  /**
   * Why a write was refused, when it was an edit stored meanwhile: a cancel
   * (`cancelled`), or a reschedule of a post whose lease is still this
   * runner's (`edited`); undefined otherwise (another worker has it), or
   * when it cannot be read.
   */
  private async changedMeanwhile(): Promise<RunnerEnd | undefined> {
    try {
      const post = await this.ctx.read(this.postId);
      if (post?.status === 'cancelled') return { kind: 'cancelled', at: cancelledAt(post) };
      if (post?.status === 'active' && post.lease?.token === this.claim.lease.token) return { kind: 'edited' };
      return undefined;
    } catch {
      return undefined;
    }
  }

  /** Tells the engine how the runner ended, once. */
  private report(end: RunnerEnd): void {
    if (this.over) return;
    this.over = true;
    this.ctx.ended(this, end);
  }

  /** Stops the actor (aborting its effects) and returns its last snapshot. */
  private halt(): unknown {
    const actor = this.actor;
    const snapshot = actor?.getPersistedSnapshot();
    this.done = true;
    this.actor = undefined;
    actor?.stop();
    return snapshot ?? this.claim.post.snapshot;
  }

  /**
   * Runs store work one at a time. Resolves true once it is done; false when
   * it failed: the post is then interrupted (a refused claim: another worker
   * has it; an unreachable store: `storeFailed`), and later work is skipped.
   */
  private write(work: () => Promise<void>): Promise<boolean> {
    const run = this.writes.then(async () => {
      if (this.broken) return false;
      try {
        await work();
        return true;
      } catch (err) {
        this.broken = true;
        const lost = err instanceof LeaseLostError;
        const reason = lost ? err.message : `the store failed: ${err instanceof Error ? err.message : String(err)}`;
        this.halt();
        this.report((lost ? await this.changedMeanwhile() : undefined) ?? { kind: 'interrupted', reason, storeFailed: !lost && err instanceof StoreError && err.kind === 'io' });
        return false;
      }
    });
    this.writes = run.then(() => undefined);
    return run;
  }
}
