import { Subject, type Observable } from 'rxjs';
import type { TokenNotice } from '../graph/token-keeper.js';
import type { InspectionEvent } from 'xstate';
import type { PostEnvelope } from '../adapters/envelope.js';
import type { Claim } from '../adapters/store.js';
import { DamagedPostError, postName } from '../adapters/store-errors.js';
import { provideEffects } from '../effects/provide-effects.js';
import type { GraphClient } from '../graph/client.js';
import type { GraphClientOptions } from '../graph/graph-options.js';
import { RECHECK_ON_RESUME, type MachineEmitted } from '../machines/progress.js';
import type { PostSpec } from '../spec/post-spec.js';
import { validatePostSpec } from '../spec/validate.js';
import { systemClock } from '../time/clock.js';
import { createAccounts } from './accounts.js';
import { CONTAINER_BUDGET, takeContainerSlot } from './container-slots.js';
import { WORKER_POST_ID, type EngineEvent } from './engine-events.js';
import { engineDefaults, type EngineOptions } from './engine-options.js';
import { Handles } from './handles.js';
import { enginePolling } from './polling.js';
import { machineInputOf } from './machine-input.js';
import { createIntake } from './intake.js';
import { holderIsGone, newLeaseOwner } from './lease-owner.js';
import { LeaseKeeper } from './lease-keeper.js';
import { PostInterrupted, PostUnavailable } from './post-errors.js';
import type { PostHandle } from './post-handle.js';
import { PostRunner, type RunnerEnd } from './post-runner.js';
import { eventOfEmitted, eventOfOutcome, stateRepeats } from './projection.js';
import { inspectionSanitizer } from './sanitize-inspection.js';
import { connectStatelyInspector } from './stately-inspector.js';
import { Scheduler, type Missed } from './scheduler.js';
import { createMediaChecker, type MediaWarning } from '../media/check-media.js';
import { outcomeFeed } from '../outcomes/outcome-feed.js';
import type { PostOutcomeEvent } from '../outcomes/outcome-event.js';
import { webhookSender } from '../webhooks/send-webhook.js';
import { WebhookDeliverer } from '../webhooks/webhook-deliverer.js';
import { WebhookOptions } from '../webhooks/webhook-options.js';
import { cancelPost, type CancelResult } from '../manage/cancel.js';
import { listPosts, timeOf, viewOf, type ListQuery, type PostView } from '../manage/list.js';
import { reschedulePost, type RescheduleResult } from '../manage/reschedule.js';

export type { PostView } from '../manage/list.js';

/** igflow's engine: publishes posts exactly once and finishes whatever its store holds. */
export interface Engine {
  /**
   * Validates (InvalidPostSpec, nothing sent), checks its media
   * (InvalidMedia, nothing stored or sent; `warning` events for media it
   * cannot read), stores, then starts a post,
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
   */
  work(options?: { readonly concurrency?: number; readonly idleMs?: number }): Promise<void>;
  /** A stored post, without its machine snapshot. */
  get(postId: string): Promise<PostView | undefined>;
  /**
   * Cancels a post (by post id or the spec's `id`) unless a publish may be
   * on its way, whoever holds it, here or in another process: a
   * compare-and-set write of the post, seen by its holder's checkpoint
   * before `media_publish` (docs/design.md#cancel-and-the-pre-publish-checkpoint).
   * `{ cancelled: true }` (or already), or `{ cancelled: false, reason }`:
   * `publishing` or `published` (too late), `failed`, `unknown`. A cancelled
   * post ends with a `cancelled` event; its handle rejects with PostCancelled.
   */
  cancel(idOrPostId: string): Promise<CancelResult>;
  /**
   * Moves a post's publishAt (by post id or the spec's `id`) under the rule
   * of {@link cancel}: until its `media_publish` may be on its way, whoever
   * holds it. Its containers are kept when they will still be alive at the
   * new time (24 h from their creation), new ones are made otherwise.
   */
  reschedule(idOrPostId: string, publishAt: string | number | Date): Promise<RescheduleResult>;
  /**
   * The stored posts that match every filter given (`state`, `account`,
   * `key`, and `from`/`to` on their publishAt), oldest first, without
   * snapshots, for an app's own views. Posts that cannot be read are
   * `problem` events. On PostgreSQL an indexed query.
   */
  list(query?: ListQuery): Promise<readonly PostView[]>;
  /** Every post's events. */
  readonly events$: Observable<EngineEvent>;
  /**
   * The outcome of every post the store finishes from the first
   * subscription on (published, failed), whichever process finished it:
   * fed from the store's outbox (PostgreSQL: LISTEN/NOTIFY; file store: a
   * poll of its outbox directory). Completes at `shutdown()`.
   */
  readonly outcomes$: Observable<PostOutcomeEvent>;
  /**
   * One post's outcome, by post id or idempotency key, whichever process
   * finishes it, also when it finished before the call; completes after
   * it. Fails with PostUnavailable for a post the store does not hold, and
   * PostInterrupted when the engine shuts down first.
   */
  watch(idOrPostId: string): Observable<PostOutcomeEvent>;
  /** Stores every live post at a safe point and stops; their handles reject with PostInterrupted. Closes the `inspector` connection the engine owns. */
  shutdown(): Promise<void>;
}

/** A post published more than this after its publishAt says so in its events. */
const LATE_MS = 86_400_000;

const isGraphList = (graph: EngineOptions['graph']): graph is ReadonlyArray<GraphClientOptions | GraphClient> => Array.isArray(graph);
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const publishAtOf = (post: PostEnvelope): string | undefined => {
  const publishAt = (post.spec as { publishAt?: unknown } | undefined)?.publishAt;
  return typeof publishAt === 'string' ? publishAt : undefined;
};

/**
 * Creates an engine: intake (validate once, store), the scheduler (every
 * start is a claim), a runner per live post (checkpoints before every
 * effect, parks waiting posts in the store), the lease keeper (one batched
 * renewal) and the projection of what the machines emit into events, on
 * the store's three parts. Any post resumes, here or in another process,
 * from its last snapshot.
 */
export function createEngine(options: EngineOptions): Engine {
  const clock = options.clock ?? systemClock;
  const { store } = options;
  const leaseMs = options.leaseMs ?? engineDefaults.leaseMs;
  const owner = options.owner ?? newLeaseOwner();
  const { timing, watch } = enginePolling({ ...options, unitMs: options.pollIntervalMs ?? engineDefaults.pollIntervalMs, deadlineMs: options.processingDeadlineMs }, clock);
  const webhook = options.webhook === undefined ? undefined : WebhookOptions.safeParse(options.webhook);
  if (webhook?.success === false) throw new TypeError(`igflow: the webhook option is invalid: ${webhook.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`);
  // set once `emit` exists: a token notice comes only when a request asks for the token, long after the engine is built
  let onTokenNotice: (account: string, notice: TokenNotice) => void = () => undefined;
  const accounts = createAccounts(
    isGraphList(options.graph) ? options.graph : [options.graph],
    { clock, unitMs: options.pollIntervalMs ?? engineDefaults.pollIntervalMs, ledger: store.ledger, brakes: store.brakes, tokenRefresh: options.tokenRefresh, onTokenNotice: (account, notice) => onTokenNotice(account, notice) },
    webhook?.success === true ? [...(options.secrets ?? []), webhook.data.secret] : options.secrets,
  );
  // Defence in depth: the token is never in a machine, but an inspector must not see it even if a bug put it there.
  const inspector = typeof options.inspector === 'string' ? connectStatelyInspector({ url: options.inspector, clock }) : options.inspector;
  const inspectors = [options.inspect, inspector?.inspect].filter((inspect) => inspect !== undefined);
  const sanitize = inspectors.length > 0 ? inspectionSanitizer(accounts.secrets) : undefined;

  const events = new Subject<EngineEvent>();
  const handles = new Handles();
  const runners = new Map<string, PostRunner>();
  const repeated = stateRepeats();
  let closed = false;

  const at = () => new Date(clock.now()).toISOString();
  const emit = (event: EngineEvent) => {
    if (repeated(event)) return;
    events.next(event);
    handles.emit(event);
  };
  const problem = (postId: string, message: string) => emit({ type: 'problem', postId, at: at(), message });
  onTokenNotice = (account, notice) => {
    if (notice.kind === 'expiring') emit({ type: 'token-expiring', postId: WORKER_POST_ID, at: at(), account, expiresAt: new Date(notice.expiresAt).toISOString() });
    if (notice.kind === 'refresh-failed') problem(WORKER_POST_ID, `the access token of ${account} could not be refreshed: ${notice.message}`);
  };

  const machines = provideEffects({
    clock,
    timing,
    graphFor: (account) => {
      const found = accounts.get(account);
      if (found === undefined) throw new Error(`igflow: no Graph client for account ${account}`);
      return watch(found.graph);
    },
    admit: (account, priority) => accounts.admit(account, priority),
    holds: (postId) => runners.get(postId)?.holds() ?? false,
    quotaFor: (account) => accounts.get(account)?.quota ?? { check: () => Promise.resolve({ ok: true, used: 0, total: 0 }), record: () => Promise.resolve() },
    containerSlot: (account, postId) => takeContainerSlot(store.ledger, { account, postId, now: clock.now(), total: options.containerBudget ?? CONTAINER_BUDGET }),
    checkpoint: (postId, purpose) => runners.get(postId)?.checkpoint(purpose) ?? Promise.reject(new Error(`post ${postId} is not running in this engine`)),
    track: (postId, kind) => runners.get(postId)?.track(kind) ?? (() => undefined),
    progress: (postId, upload) =>
      emit({ type: 'upload', postId, at: at(), containerId: upload.containerId, item: upload.item ?? null, story: upload.story ?? null, sent: upload.sent, total: upload.total }),
  });
  const logicFor = (machine: 'post' | 'stories') => (machine === 'stories' ? machines.stories : machines.post);
  const media = options.mediaChecks === false ? undefined : createMediaChecker(clock, options.mediaChecks === true || options.mediaChecks === undefined ? {} : options.mediaChecks);
  const intake = createIntake({ posts: store.posts, clock, owner, leaseMs, media });
  /** Tells the media igflow could not check, after the post's `accepted`. */
  const warn = (postId: string, warnings: readonly MediaWarning[]) => {
    for (const warning of warnings) emit({ type: 'warning', postId, at: at(), path: warning.path, message: warning.message });
  };
  /** Specs intake parsed for posts it claimed here, until their runner starts: a post begun in the process that took it is not parsed twice. */
  const acceptedHere = new Map<string, PostSpec>();
  /**
   * A stored post's first input: its spec, read again at the store's
   * boundary, as its plan. Its login was checked at intake; the read takes
   * the widest (branded content allowed), so an engine of another login
   * never mistakes an accepted spec for damage.
   */
  const inputOf = (post: PostEnvelope): unknown => {
    const parsed = acceptedHere.get(post.postId);
    if (parsed !== undefined) {
      acceptedHere.delete(post.postId);
      return machineInputOf(parsed, post.postId, post.account).input;
    }
    const validation = validatePostSpec(post.spec, { login: 'facebook' });
    if (!validation.ok) throw new DamagedPostError('corrupt', post.postId, `has a stored spec this igflow cannot read (${validation.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}); it is left in the store`, post.key);
    return machineInputOf(validation.spec, post.postId, post.account).input;
  };
  const leases = new LeaseKeeper({ queue: store.queue, clock, owner, leaseMs, runners: () => runners.values(), problem: (message) => problem('(engine)', message) });

  /** Says so when a post's publishAt passed more than a day ago (it is published now all the same). */
  const reportIfLate = (postId: string, publishAt: string | undefined) => {
    if (publishAt === undefined) return;
    const lateByMs = clock.now() - Date.parse(publishAt);
    if (lateByMs > LATE_MS) emit({ type: 'late', postId, at: at(), publishAt, lateByMs });
  };

  /** A post cancelled before its publish ends here: its `cancelled` event, and its handle rejects with PostCancelled. */
  const endCancelled = (postId: string, cancelledAt: number): void => {
    const outcome = { outcome: 'cancelled' as const, at: cancelledAt };
    emit(eventOfOutcome(postId, at(), outcome));
    handles.outcome(postId, outcome);
  };

  const ended = (runner: PostRunner, end: RunnerEnd) => {
    runners.delete(runner.postId);
    if (runners.size === 0) leases.stop();
    switch (end.kind) {
      case 'finished':
        emit(eventOfOutcome(runner.postId, at(), end.outcome));
        handles.outcome(runner.postId, end.outcome);
        break;
      case 'parked':
        // the machine announced the wait (a `waiting` event) when it began it; taken up again here when it is due
        scheduler.want(runner.postId, end.wakeAt);
        break;
      case 'interrupted':
        emit({ type: 'interrupted', postId: runner.postId, at: at(), reason: end.reason });
        // a store that failed is tried again (its lease is still this engine's); a lost lease is the new holder's business
        if (end.storeFailed && !closed) scheduler.want(runner.postId, clock.now());
        else handles.fail(runner.postId, new PostInterrupted(runner.postId, end.reason));
        break;
      case 'cancelled':
        endCancelled(runner.postId, end.at);
        break;
      case 'edited':
        // a reschedule stored while it ran here: taken up again from the store at once (its lease is still this engine's)
        if (!closed) scheduler.want(runner.postId, clock.now());
        break;
      case 'stopped':
        break;
    }
    scheduler.nudge();
  };

  const run = (claim: Claim, taken: 'created' | 'claimed') => {
    if (closed || runners.has(claim.post.postId)) return;
    if (taken === 'claimed') emit({ type: 'resumed', postId: claim.post.postId, at: at(), state: claim.post.state, key: claim.post.key ?? null });
    const runner = new PostRunner(claim, {
      queue: store.queue,
      read: (postId) => store.posts.get(postId),
      clock,
      logicFor,
      inputOf,
      parkAfterMs: options.parkAfterMs ?? engineDefaults.parkAfterMs,
      leaseMarginMs: Math.min(5_000, leaseMs / 10),
      inspect: (postId, event: InspectionEvent) => {
        if (sanitize === undefined) return;
        // the post's root actor is named by the post, not `post` like every other
        const safe = sanitize(event, runners.get(postId)?.key ?? postId);
        if (safe !== undefined) for (const inspect of inspectors) inspect(safe);
      },
      emitted: (postId, emitted: MachineEmitted) => emit(eventOfEmitted(postId, at(), emitted)),
      ended,
    });
    runners.set(claim.post.postId, runner);
    leases.start();
    runner.start();
  };

  const missed = (postId: string, why: Missed) => {
    switch (why.kind) {
      case 'finished':
        if (why.post.result !== undefined) {
          emit(eventOfOutcome(postId, at(), why.post.result));
          handles.outcome(postId, why.post.result);
        }
        return;
      case 'held': {
        const message = `held by ${why.post.lease?.owner ?? 'another worker'}; it carries on there`;
        problem(postId, message);
        handles.fail(postId, new PostInterrupted(postId, message));
        return;
      }
      case 'gone':
        handles.fail(postId, new PostUnavailable(postId, undefined, `post ${postId} is gone from the store`));
        return;
      case 'unreadable': {
        const message = `cannot take up ${postName(postId, why.key)}: ${messageOf(why.error)}`;
        problem(postId, message);
        handles.fail(postId, new PostUnavailable(postId, why.key, message));
      }
    }
  };

  const scheduler = new Scheduler({
    posts: store.posts,
    queue: store.queue,
    clock,
    owner,
    leaseMs,
    accounts: accounts.ids,
    takeOver: holderIsGone,
    run,
    running: () => runners.size,
    isRunning: (postId) => runners.has(postId),
    missed,
    problem: (message) => problem(WORKER_POST_ID, message),
  });

  const outcomePollMs = options.outcomePollMs ?? engineDefaults.outcomePollMs;
  const outcomes = outcomeFeed({ outbox: store.outbox, posts: store.posts, clock, pollMs: outcomePollMs, problem: (message) => problem(WORKER_POST_ID, message) });
  const deliverer =
    webhook?.success === true
      ? new WebhookDeliverer({ outbox: store.outbox, sender: webhookSender(webhook.data.url, webhook.data.secret, webhook.data.timeoutMs, clock, options.webhook?.dispatcher), clock, owner, settings: webhook.data, pollMs: outcomePollMs, problem })
      : undefined;
  deliverer?.start();

  /** Puts a stored post to work here: settled at once when finished; else wanted now, or at its deadline. */
  const takeUp = (post: PostEnvelope): PostHandle => {
    const handle = handles.handleFor(post.postId, post.key);
    if (post.status !== 'active') {
      if (post.result !== undefined) {
        emit(eventOfOutcome(post.postId, at(), post.result));
        handles.outcome(post.postId, post.result);
      }
      return handle;
    }
    if (runners.has(post.postId) || scheduler.wants(post.postId)) return handle;
    const now = clock.now();
    if (post.waitReason === 'schedule') reportIfLate(post.postId, publishAtOf(post));
    // A post waiting on the quota is re-checked now, and one waiting for a new token tries it now, rather than sleeping it out (README, *The daily quota*: `igflow resume` re-checks it at once).
    const reason = post.waitReason ?? 'processing';
    if (post.wakeAt !== undefined && post.wakeAt > now && !RECHECK_ON_RESUME.has(reason)) {
      emit({ type: 'waiting', postId: post.postId, at: at(), until: new Date(post.wakeAt).toISOString(), reason });
      scheduler.want(post.postId, post.wakeAt);
    } else {
      scheduler.want(post.postId, now);
    }
    return handle;
  };

  const accountOf = (accountId: string | undefined) => {
    const account = accountId === undefined ? accounts.first : accounts.get(accountId);
    if (account === undefined) throw new TypeError(`igflow: ${accountId} is not one of this engine's accounts`);
    return account;
  };

  return {
    events$: events.asObservable(),
    outcomes$: outcomes.outcomes$,
    watch: (idOrPostId) => outcomes.watch(idOrPostId),

    async publish(input, publishOptions) {
      if (closed) throw new PostInterrupted('(new)', 'the engine is shut down');
      const account = accountOf(publishOptions?.account);
      const accepted = await intake.accept(input, account.igUserId, options.login ?? account.graph.login, true);
      if (!accepted.created) return takeUp(accepted.post);
      const handle = handles.handleFor(accepted.post.postId, accepted.post.key);
      emit({ type: 'accepted', postId: accepted.post.postId, at: at(), key: accepted.post.key ?? null, kind: accepted.kind });
      warn(accepted.post.postId, accepted.warnings);
      reportIfLate(accepted.post.postId, publishAtOf(accepted.post));
      if (accepted.claim === undefined) throw new Error('igflow: the store did not claim the post it created');
      if (closed) {
        // the engine shut down while the post was being stored: it waits in the store for the next run
        await store.queue.release(accepted.claim);
        handles.fail(accepted.post.postId, new PostInterrupted(accepted.post.postId, 'the engine shut down while the post was being stored'));
        return handle;
      }
      acceptedHere.set(accepted.post.postId, accepted.spec);
      scheduler.take(accepted.claim);
      return handle;
    },

    async enqueue(input, enqueueOptions) {
      if (closed) throw new PostInterrupted('(new)', 'the engine is shut down');
      const account = accountOf(enqueueOptions?.account);
      const accepted = await intake.accept(input, account.igUserId, options.login ?? account.graph.login, false);
      if (accepted.created) {
        emit({ type: 'accepted', postId: accepted.post.postId, at: at(), key: accepted.post.key ?? null, kind: accepted.kind });
        warn(accepted.post.postId, accepted.warnings);
      }
      return accepted.post.postId;
    },

    async resumeAll() {
      const listing = await store.posts.list({ status: 'unfinished' });
      for (const entry of listing.problems) problem(entry.postId, entry.error.message);
      const result: PostHandle[] = [];
      for (const post of listing.posts) {
        // a post of an account this engine has no token for is left to an engine that has
        if (accounts.get(post.account) === undefined) {
          problem(post.postId, `account ${post.account} is not one of this engine's accounts; left in the store`);
          continue;
        }
        result.push(takeUp(post));
      }
      return result;
    },

    work(workOptions = {}) {
      return scheduler.runAsWorker(workOptions.concurrency ?? 16, workOptions.idleMs ?? Math.max(options.pollIntervalMs ?? engineDefaults.pollIntervalMs, 1_000));
    },

    async cancel(idOrPostId) {
      const result = await cancelPost(store.posts, clock, idOrPostId);
      if (!result.cancelled || result.already) return result;
      const runner = runners.get(result.postId);
      if (runner !== undefined) {
        // held here: stopped at once, rather than at its next checkpoint
        runner.cancelled(result.at);
      } else if (scheduler.wants(result.postId)) {
        // parked here until later: it ends now
        scheduler.forget(result.postId);
        endCancelled(result.postId, result.at);
      }
      return result;
    },

    async reschedule(idOrPostId, publishAt) {
      const result = await reschedulePost(store.posts, clock, idOrPostId, timeOf(publishAt, 'publishAt'));
      if (!result.rescheduled) return result;
      const runner = runners.get(result.postId);
      // held here: taken up again from the store at once; parked here: wanted now, to wait anew for the new time
      if (runner !== undefined) runner.edited();
      else if (scheduler.wants(result.postId)) scheduler.want(result.postId, clock.now());
      return result;
    },

    async list(query) {
      const listing = await listPosts(store.posts, query);
      for (const entry of listing.problems) problem(entry.postId, entry.error.message);
      return listing.posts;
    },

    async get(postId) {
      const post = await store.posts.get(postId);
      return post === undefined ? undefined : viewOf(post);
    },

    async shutdown() {
      if (closed) return;
      closed = true;
      await scheduler.close();
      leases.stop();
      await Promise.all([...runners.values()].map((runner) => runner.stop()));
      for (const postId of handles.open()) emit({ type: 'interrupted', postId, at: at(), reason: 'the engine shut down' });
      handles.interruptAll('the engine shut down');
      await deliverer?.stop();
      await outcomes.close();
      events.complete();
      // the connection the engine was given or opened: left open, it would keep the process alive
      inspector?.stop();
      await accounts.close();
      await media?.close();
    },
  };
}
