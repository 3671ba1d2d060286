import { NEVER, Subject, defer, timer, type Observable, type Subscription } from 'rxjs';
import { createActor, type AnyActorRef, type InspectionEvent } from 'xstate';
import type { PostEnvelope } from '../adapters/store.js';
import { provideEffects } from '../effects/provide-effects.js';
import { defaultContainerLimits } from '../machines/container-machine.js';
import type { GraphClient } from '../graph/client.js';
import type { GraphClientOptions } from '../graph/graph-options.js';
import { createAccounts } from './accounts.js';
import type { ErrorJson } from '../graph/igflow-error.js';
import { RECHECK_ON_RESUME, type WaitingEmitted } from '../machines/progress.js';
import { InvalidPostSpec } from '../spec/invalid-post-spec.js';
import { validatePostSpec } from '../spec/validate.js';
import { systemClock } from '../time/clock.js';
import { holdClock } from '../time/hold.js';
import { WORKER_POST_ID, type EngineEvent, type EventError, type LiveStory } from './engine-events.js';
import { engineDefaults, type EngineOptions } from './engine-options.js';
import { sanitizeInspection } from './sanitize-inspection.js';
import { holderIsGone, newLeaseOwner } from './lease-owner.js';
import { PostFailed, PostInterrupted, PostUnavailable } from './post-errors.js';
import { HandleState, type PostHandle, type PublishResult } from './post-handle.js';
import { IdempotencyConflict } from './idempotency-conflict.js';
import { specHash } from './spec-hash.js';
import { newPostId, postIdForKey } from './post-id.js';
import { PostRuntime, type RuntimeContext } from './post-runtime.js';
import { topState } from './snapshot-summary.js';
import { WakeQueue } from './wake-queue.js';
import { withUnit } from './with-unit.js';
import { startWorkLoop, type WorkLoop } from './work-loop.js';

/** A stored post as `get` shows it: everything but the machine snapshot. */
export type PostView = Omit<PostEnvelope, 'snapshot'>;

/** igflow's engine: publishes posts exactly once and finishes whatever its store holds. */
export interface Engine {
  /**
   * Validates (InvalidPostSpec, nothing sent), stores, then starts a post,
   * for `options.account` (an IG user id of the engine's accounts; default
   * the first). The same `id` returns the first post's handle.
   */
  publish(spec: unknown, options?: { readonly account?: string }): Promise<PostHandle>;
  /**
   * Validates and stores a post without starting it: a worker (`work()`,
   * `igflow work`) sharing the store picks it up. Resolves to its post id;
   * the same `id` resolves to the first post's.
   */
  enqueue(spec: unknown, options?: { readonly account?: string }): Promise<string>;
  /** Takes up every unfinished post in the store (leases of dead local processes are taken over at once). */
  resumeAll(): Promise<PostHandle[]>;
  /**
   * Works as one of possibly many workers sharing the store: claims due
   * posts (up to `concurrency` at a time; leases with fencing), wakes when
   * the store says a post may be ready (LISTEN/NOTIFY on PostgreSQL) or when
   * the next one is due, and carries on until `shutdown()`. Resolves then.
   * A store that stops answering (a database restart) is waited out with a
   * backoff, reported once when it goes and once when it is back (`problem`
   * events for {@link WORKER_POST_ID}); the posts it stopped here are taken
   * up again first, without waiting for their leases to run out.
   */
  work(options?: { readonly concurrency?: number; readonly idleMs?: number }): Promise<void>;
  /** A stored post, without its machine snapshot. */
  get(postId: string): Promise<PostView | undefined>;
  /** Every post's events. */
  readonly events$: Observable<EngineEvent>;
  /** Stores every live post at a safe point and stops; their handles reject with PostInterrupted. */
  shutdown(): Promise<void>;
}

/** A post published more than this after its publishAt says so in its events. */
const LATE_MS = 86_400_000;

const isGraphList = (graph: EngineOptions['graph']): graph is ReadonlyArray<GraphClientOptions | GraphClient> => Array.isArray(graph);

/** The publishAt of a stored post's spec, read from its snapshot's context. */
const publishAtOf = (envelope: PostEnvelope): string | undefined => {
  const spec = (envelope.snapshot as { context?: { spec?: { publishAt?: unknown } } } | undefined)?.context?.spec;
  return typeof spec?.publishAt === 'string' ? spec.publishAt : undefined;
};

const eventError = (error: Partial<ErrorJson> | undefined): EventError => ({
  code: error?.code ?? null,
  subcode: error?.subcode ?? null,
  retryable: error?.retryable ?? false,
  message: error?.message ?? 'failed',
  errorClass: error?.errorClass ?? 'unknown',
  remedy: error?.remedy ?? '',
});

const liveStories = (stories: ReadonlyArray<{ index: number; mediaId?: string | undefined; containerId: string }> | undefined): LiveStory[] | undefined =>
  stories?.map((s) => ({ index: s.index, mediaId: s.mediaId ?? null, containerId: s.containerId }));

interface MachineOutput {
  readonly outcome?: string;
  readonly mediaId?: string;
  readonly containerId?: string;
  readonly error?: Partial<ErrorJson> | undefined;
  readonly stories?: ReadonlyArray<{ index: number; mediaId?: string; containerId: string }>;
}

/**
 * Creates an engine. It persists every post before each effect and after
 * each result (design.md invariant 1), holds a lease with a fencing version
 * on every post it works on (invariant 3), parks posts that only wait in the
 * store (a waiting post costs a heap entry, not an actor), and restores any
 * post, on this process or another, from its last snapshot.
 */
export function createEngine(options: EngineOptions): Engine {
  const clock = options.clock ?? systemClock;
  const store = options.store;
  const unitMs = options.pollIntervalMs ?? engineDefaults.pollIntervalMs;
  const leaseMs = options.leaseMs ?? engineDefaults.leaseMs;
  const parkAfterMs = options.parkAfterMs ?? engineDefaults.parkAfterMs;
  const owner = options.owner ?? newLeaseOwner();
  const containerLimits = options.processingDeadlineMs === undefined ? undefined : { deadlineMs: { ...defaultContainerLimits.deadlineMs, ...options.processingDeadlineMs } };
  const accounts = createAccounts(isGraphList(options.graph) ? options.graph : [options.graph], { clock, unitMs, ledger: store }, options.secrets);
  // Defence in depth: the token is never in a machine, but an inspector must not see it even if a bug put it there.
  const userInspect = options.inspect && sanitizeInspection(options.inspect, accounts.secrets);

  const events = new Subject<EngineEvent>();
  const handles = new Map<string, HandleState>();
  const live = new Map<string, PostRuntime>();
  const lastStates = new Map<string, Map<string, string>>();
  /** The latest wait each live post's machines announced: a park names its reason from it. */
  const lastWaits = new Map<string, WaitingEmitted>();
  let renewal: Subscription | undefined;
  let working: WorkLoop | undefined;
  let closed = false;
  /** Posts this worker was running when a store write failed (io): still leased to it, taken up again once the store answers. */
  const stoppedByStore = new Set<string>();

  const at = () => new Date(clock.now()).toISOString();
  const emit = (event: EngineEvent) => {
    events.next(event);
    handles.get(event.postId)?.emit(event);
  };
  const handleFor = (postId: string, key: string | undefined) => {
    let handle = handles.get(postId);
    if (handle === undefined) {
      handle = new HandleState(postId, key);
      handles.set(postId, handle);
    }
    return handle;
  };
  const settle = (postId: string, outcome: { result: PublishResult } | { error: Error }) => {
    handles.get(postId)?.settle(outcome);
    handles.delete(postId);
  };

  const wakes = new WakeQueue(clock, (postId) => {
    wake(postId).catch((err: unknown) => emit({ type: 'problem', postId, at: at(), message: `cannot wake the post: ${err instanceof Error ? err.message : String(err)}` }));
  });

  const machines = provideEffects({
    clock,
    graphFor: (account) => {
      const found = accounts.get(account);
      if (found === undefined) throw new Error(`igflow: no Graph client for account ${account}`);
      return found.graph;
    },
    admit: (account, priority) => accounts.admit(account, priority),
    holds: (postId) => live.get(postId)?.holds(owner, Math.min(5_000, leaseMs / 10)) ?? false,
    quotaFor: (account) => accounts.get(account)?.quota ?? { check: () => Promise.resolve({ ok: true, used: 0, total: 0 }), record: () => Promise.resolve() },
    checkpoint: (postId) => live.get(postId)?.checkpoint() ?? Promise.reject(new Error(`post ${postId} is not running in this engine`)),
    track: (postId) => live.get(postId)?.track() ?? (() => undefined),
    sleepUntil: (postId, wakeAt) =>
      defer(() => {
        const runtime = live.get(postId);
        const delay = wakeAt - clock.now();
        if (runtime !== undefined && delay >= parkAfterMs && runtime.onlyWaiting) {
          const announced = lastWaits.get(postId);
          runtime.park(wakeAt, announced?.until === wakeAt ? announced.reason : 'processing');
          return NEVER;
        }
        return timer(Math.max(0, delay), clock);
      }),
  });

  /** A wait a post's machine announced: remembered (a park names its reason from it) and reported. */
  const announceWait = (postId: string, emitted: WaitingEmitted) => {
    lastWaits.set(postId, emitted);
    emit({
      type: 'waiting',
      postId,
      at: at(),
      until: new Date(emitted.until).toISOString(),
      reason: emitted.reason,
      ...(emitted.since === undefined ? {} : { since: new Date(emitted.since).toISOString() }),
      ...(emitted.error === undefined ? {} : { error: eventError(emitted.error) }),
      ...(emitted.publishAt === undefined ? {} : { publishAt: new Date(emitted.publishAt).toISOString() }),
    });
  };

  /** Turns the inspection stream of a post's actors into engine events, and forwards it to the user's inspector. */
  const inspect = (postId: string, root: () => AnyActorRef | undefined, event: InspectionEvent) => {
    userInspect?.(event);
    // every actor of the post (nested containers, carousel items, stories) announces its waits with emit()
    if (event.type === '@xstate.actor') {
      (event.actorRef as AnyActorRef).on('waiting', (emitted: WaitingEmitted) => announceWait(postId, emitted));
      return;
    }
    if (event.type !== '@xstate.snapshot') return;
    const snapshot = event.snapshot as { value?: never; status?: string; machine?: { id: string }; context?: Record<string, unknown> };
    if (snapshot.machine === undefined) return;
    const actorKey = event.actorRef === root() ? 'root' : event.actorRef.sessionId;
    // the root's end is reported as published/failed; a container's end (finished) is progress worth showing
    if (snapshot.status !== 'active' && actorKey === 'root') return;
    const state = topState(snapshot.value);
    const seen = lastStates.get(postId) ?? new Map<string, string>();
    lastStates.set(postId, seen);
    if (seen.get(actorKey) === state) return;
    seen.set(actorKey, state);
    if (actorKey === 'root') {
      emit({ type: 'state', postId, at: at(), state });
      return;
    }
    if (snapshot.machine.id !== 'container') return;
    const context = snapshot.context ?? {};
    const item = /^item-(\d+)$/.exec((event.actorRef as { id?: string }).id ?? '')?.[1];
    const rootContext = (root()?.getSnapshot() as { context?: { index?: unknown }; machine?: { id: string } } | undefined) ?? {};
    emit({
      type: 'container',
      postId,
      at: at(),
      role: context.role as 'single' | 'carousel-child' | 'carousel-parent',
      item: item === undefined ? null : Number(item),
      story: rootContext.machine?.id === 'stories' && typeof rootContext.context?.index === 'number' ? rootContext.context.index : null,
      state,
      containerId: typeof context.containerId === 'string' ? context.containerId : null,
    });
  };

  const runtimeContext: RuntimeContext = {
    store,
    clock,
    logicFor: (machine) => (machine === 'stories' ? machines.stories : machines.post),
    inspect,
    finished(runtime, output) {
      live.delete(runtime.postId);
      lastStates.delete(runtime.postId);
      lastWaits.delete(runtime.postId);
      working?.nudge();
      reportEnd(runtime.postId, (output ?? {}));
      stopRenewalWhenIdle();
    },
    parked(runtime, wakeAt) {
      // the machine announced the wait (a `waiting` event) when it began it
      live.delete(runtime.postId);
      lastStates.delete(runtime.postId);
      lastWaits.delete(runtime.postId);
      if (closed) return;
      // a worker leaves parked posts to whichever worker claims them when due
      if (working === undefined) wakes.add(runtime.postId, wakeAt);
      else working.nudge();
      stopRenewalWhenIdle();
    },
    interrupted(runtime, reason, storeFailed) {
      live.delete(runtime.postId);
      lastStates.delete(runtime.postId);
      lastWaits.delete(runtime.postId);
      if (storeFailed && working !== undefined && !closed) stoppedByStore.add(runtime.postId);
      working?.nudge();
      emit({ type: 'interrupted', postId: runtime.postId, at: at(), reason });
      settle(runtime.postId, { error: new PostInterrupted(runtime.postId, reason) });
      stopRenewalWhenIdle();
    },
  };

  function startRenewal(): void {
    if (renewal !== undefined || closed) return;
    const every = Math.max(1, Math.floor(leaseMs / 3));
    renewal = timer(every, every, clock).subscribe(() => {
      for (const runtime of live.values()) void runtime.renewLease(owner, clock.now() + leaseMs);
    });
  }
  function stopRenewalWhenIdle(): void {
    if (live.size > 0) return;
    renewal?.unsubscribe();
    renewal = undefined;
  }

  /** Starts a leased post's actor in this engine. */
  function activate(envelope: PostEnvelope): void {
    if (closed || live.has(envelope.postId)) return;
    wakes.delete(envelope.postId);
    // an engine given its own unit runs every post with it, whoever stored the post
    const runnable = options.pollIntervalMs === undefined ? envelope : { ...envelope, snapshot: withUnit(envelope.snapshot, unitMs) };
    const runtime = new PostRuntime(runnable, runtimeContext);
    live.set(envelope.postId, runtime);
    startRenewal();
    runtime.start();
  }

  /** Leases a stored post for this engine, taking over leases of dead local processes. */
  async function lease(postId: string): Promise<PostEnvelope | undefined> {
    const release = holdClock(clock);
    try {
      return await store.lease(postId, { owner, until: clock.now() + leaseMs, now: clock.now(), takeOver: holderIsGone });
    } finally {
      release();
    }
  }

  async function wake(postId: string): Promise<void> {
    if (closed || live.has(postId)) return;
    const envelope = await lease(postId);
    if (envelope === undefined) {
      heldElsewhere(postId, 'another worker holds this post; it carries on there');
      return;
    }
    if (closed) {
      await store.release(postId, owner);
      return;
    }
    if (envelope.status !== 'active') return settleFromStore(envelope);
    emit({ type: 'resumed', postId, at: at(), state: envelope.state, key: envelope.key ?? null });
    if (envelope.waitReason === 'schedule') reportIfLate(postId, publishAtOf(envelope));
    activate(envelope);
  }

  /**
   * Takes up again, up to `limit`, the posts a store failure stopped here
   * (the work loop asks before each claim): each is leased afresh and
   * restored from its last stored snapshot, as after a crash, so a publish
   * that was in flight is verified before anything is sent again. Throws
   * while the store still fails; the posts not taken up yet wait for the next try.
   */
  async function retake(limit: number): Promise<void> {
    for (const postId of [...stoppedByStore].slice(0, limit)) {
      if (closed) return;
      await wake(postId);
      stoppedByStore.delete(postId);
    }
  }

  /** Says so when a post's publishAt passed more than a day ago (it is published now all the same). */
  function reportIfLate(postId: string, publishAt: string | undefined): void {
    if (publishAt === undefined) return;
    const lateByMs = clock.now() - Date.parse(publishAt);
    if (lateByMs > LATE_MS) emit({ type: 'late', postId, at: at(), publishAt, lateByMs });
  }

  /** Another worker has the post: say so, and let this engine's handle go (PostInterrupted: nothing is lost). */
  function heldElsewhere(postId: string, message: string): void {
    emit({ type: 'problem', postId, at: at(), message });
    settle(postId, { error: new PostInterrupted(postId, message) });
  }

  /** Settles a handle from a finished stored post. */
  function settleFromStore(envelope: PostEnvelope): void {
    const result = envelope.result;
    reportEnd(envelope.postId, { ...result, error: result?.error });
  }

  /** Emits a post's last event (published or failed) and settles its handle, from a machine's output or a stored result. */
  function reportEnd(postId: string, out: MachineOutput): void {
    const stories = liveStories(out.stories);
    const withStories = stories ? { stories } : {};
    if (out.outcome === 'published') {
      const containerId = out.containerId ?? out.stories?.at(-1)?.containerId ?? '';
      emit({ type: 'published', postId, at: at(), mediaId: out.mediaId ?? null, containerId, ...withStories });
      settle(postId, { result: { postId, mediaId: out.mediaId, containerId: containerId || undefined, ...withStories } });
      return;
    }
    const error: ErrorJson = { name: 'PostFailed', errorClass: 'unknown', retryable: false, message: 'the post failed', remedy: '', ...out.error };
    emit({ type: 'failed', postId, at: at(), error: eventError(error), ...withStories });
    settle(postId, { error: new PostFailed(postId, error, stories) });
  }

  /** Puts a stored unfinished post to work here: now, or parked until its deadline. */
  async function takeUp(envelope: PostEnvelope): Promise<PostHandle> {
    const handle = handleFor(envelope.postId, envelope.key);
    if (live.has(envelope.postId) || wakes.has(envelope.postId)) return handle;
    if (envelope.status !== 'active') {
      settleFromStore(envelope);
      return handle;
    }
    const now = clock.now();
    // Our own live lease on a post that is not running here yet: another call of this engine is starting it.
    if (envelope.lease?.owner === owner && envelope.lease.until > now) return handle;
    const takenElsewhere = envelope.lease !== undefined && envelope.lease.owner !== owner && envelope.lease.until > now && !holderIsGone(envelope.lease);
    if (takenElsewhere) {
      heldElsewhere(envelope.postId, `held by ${envelope.lease?.owner}; it carries on there`);
      return handle;
    }
    // A post waiting on the quota is re-checked now, and one waiting for a new token tries it now, rather than sleeping it out (contract: resume).
    const reason = envelope.waitReason ?? 'processing';
    if (envelope.wakeAt !== undefined && envelope.wakeAt > now && !RECHECK_ON_RESUME.has(reason)) {
      wakes.add(envelope.postId, envelope.wakeAt);
      emit({ type: 'waiting', postId: envelope.postId, at: at(), until: new Date(envelope.wakeAt).toISOString(), reason });
      return handle;
    }
    await wake(envelope.postId);
    return handle;
  }

  /**
   * Validates a spec (InvalidPostSpec, nothing stored or sent) and stores it
   * as a new post: leased to this engine when it is to start here, free for
   * any worker otherwise. With an idempotency key already taken, returns the
   * post that holds it instead.
   */
  async function accept(input: unknown, accountId: string | undefined, leased: boolean) {
    if (closed) throw new PostInterrupted('(new)', 'the engine is shut down');
    const account = accountId === undefined ? accounts.first : accounts.get(accountId);
    if (account === undefined) throw new TypeError(`igflow: ${accountId} is not one of this engine's accounts`);
    const login = options.login ?? account.graph.login;
    const validation = validatePostSpec(input, { login });
    if (!validation.ok) throw new InvalidPostSpec(validation.issues);
    const spec = validation.spec;
    const key = spec.id;
    const hash = specHash(spec, account.igUserId);
    /** The same key with other content is another post: refused (the first is untouched). */
    const sameContent = (post: PostEnvelope): PostEnvelope => {
      if (key !== undefined && post.specHash !== undefined && post.specHash !== hash) throw new IdempotencyConflict(key, post.postId);
      return post;
    };
    const found = key === undefined ? undefined : await store.findByKey(key);
    if (found !== undefined) return { created: false as const, post: sameContent(found), kind: spec.kind, publishAt: spec.publishAt };
    const postId = key === undefined ? newPostId() : postIdForKey(key);
    const machine = spec.kind === 'stories' ? 'stories' : 'post';
    const logic = machine === 'stories' ? machines.stories : machines.post;
    const snapshot = createActor(logic, { input: { postId, account: account.igUserId, spec: input, login, unitMs, containerLimits } }).getPersistedSnapshot();
    const now = clock.now();
    const release = holdClock(clock);
    try {
      const created = await store.create({
        postId,
        ...(key === undefined ? {} : { key }),
        account: account.igUserId,
        machine,
        status: 'active',
        state: topState((snapshot as { value?: never }).value),
        snapshot,
        ...(leased ? { lease: { owner, until: now + leaseMs } } : {}),
        specHash: hash,
        createdAt: now,
        updatedAt: now,
      });
      return created.created ? { ...created, kind: spec.kind, publishAt: spec.publishAt } : { ...created, post: sameContent(created.post), kind: spec.kind, publishAt: spec.publishAt };
    } finally {
      release();
    }
  }

  return {
    events$: events.asObservable(),

    async publish(input, publishOptions) {
      const stored = await accept(input, publishOptions?.account, true);
      if (closed) {
        // the engine shut down while the post was being stored: it waits in the store for the next run
        if (stored.created) await store.release(stored.post.postId, owner);
        throw new PostInterrupted(stored.post.postId, 'the engine shut down while the post was being stored');
      }
      if (!stored.created) return takeUp(stored.post);
      const handle = handleFor(stored.post.postId, stored.post.key);
      emit({ type: 'accepted', postId: stored.post.postId, at: at(), key: stored.post.key ?? null, kind: stored.kind });
      reportIfLate(stored.post.postId, stored.publishAt);
      activate(stored.post);
      return handle;
    },

    async enqueue(input, enqueueOptions) {
      const stored = await accept(input, enqueueOptions?.account, false);
      if (stored.created) emit({ type: 'accepted', postId: stored.post.postId, at: at(), key: stored.post.key ?? null, kind: stored.kind });
      return stored.post.postId;
    },

    async resumeAll() {
      const listing = await store.listUnfinished();
      for (const problem of listing.problems) emit({ type: 'problem', postId: problem.postId, at: at(), message: problem.error.message });
      const result: PostHandle[] = [];
      for (const envelope of listing.posts) {
        // a post of an account this engine has no token for is left to an engine that has
        if (accounts.get(envelope.account) === undefined) {
          emit({ type: 'problem', postId: envelope.postId, at: at(), message: `account ${envelope.account} is not one of this engine's accounts; left in the store` });
          continue;
        }
        try {
          result.push(await takeUp(envelope));
        } catch (err) {
          // one post the store cannot write must not stop the others: it is an error for that post alone
          const message = `cannot take up ${envelope.key === undefined ? `post ${envelope.postId}` : `post ${JSON.stringify(envelope.key)} (${envelope.postId})`}: ${err instanceof Error ? err.message : String(err)}`;
          const handle = handleFor(envelope.postId, envelope.key);
          emit({ type: 'problem', postId: envelope.postId, at: at(), message });
          settle(envelope.postId, { error: new PostUnavailable(envelope.postId, envelope.key, message) });
          result.push(handle);
        }
      }
      return result;
    },

    work(workOptions = {}) {
      if (working !== undefined) return working.done;
      working = startWorkLoop({
        store,
        clock,
        owner,
        leaseMs,
        concurrency: workOptions.concurrency ?? 16,
        accounts: accounts.ids,
        idleMs: workOptions.idleMs ?? Math.max(unitMs, 1_000),
        isClosed: () => closed,
        busy: () => live.size,
        take: (envelope) => {
          handleFor(envelope.postId, envelope.key);
          emit({ type: 'resumed', postId: envelope.postId, at: at(), state: envelope.state, key: envelope.key ?? null });
          activate(envelope);
        },
        retake,
        problem: (message) => emit({ type: 'problem', postId: WORKER_POST_ID, at: at(), message }),
      });
      return working.done;
    },

    async get(postId) {
      const envelope = await store.get(postId);
      if (envelope === undefined) return undefined;
      const { snapshot: _snapshot, ...view } = envelope;
      return view;
    },

    async shutdown() {
      if (closed) return;
      closed = true;
      working?.nudge();
      await working?.done;
      wakes.clear();
      stoppedByStore.clear();
      renewal?.unsubscribe();
      renewal = undefined;
      await Promise.all(
        [...live.values()].map((runtime) => {
          const announced = lastWaits.get(runtime.postId);
          return runtime.shutdown(announced !== undefined && announced.until > clock.now() ? { wakeAt: announced.until, reason: announced.reason } : undefined);
        }),
      );
      for (const postId of [...handles.keys()]) {
        emit({ type: 'interrupted', postId, at: at(), reason: 'the engine shut down' });
        settle(postId, { error: new PostInterrupted(postId, 'the engine shut down') });
      }
      live.clear();
      events.complete();
      await accounts.close();
    },
  };
}
