import { assign, emit, setup } from 'xstate';
import type { ContainerParams, ContainerStatus } from '../graph/client.js';
import type { ErrorJson } from '../graph/igflow-error.js';
import type { CreateInput, CreateOutput, EffectScope, StatusInput, StatusOutput, WaitInput, WaitOutput } from './effect-contract.js';
import { notProvided } from './not-provided.js';
import { asStepFailure, containerProblem } from './step-failure.js';
import type { MediaKind } from '../spec/container-plan.js';
import type { MachineEmitted, WaitingEmitted } from './progress.js';
import { AUTH_RETRY_MS, CONTAINER_LIFETIME_MS, DEFAULT_PROCESSING_DEADLINE_MS, pollDeadlineMs, pollDelayMs, retryDelayMs, TRANSIENT_BUDGET_MS } from './timing.js';

/** What a container is for: a single post, an item of a carousel, or a carousel's parent. */
export type ContainerRole = 'single' | 'carousel-child' | 'carousel-parent';

/** Bounds on the container's retries; the defaults follow graph-api-facts.md §3. */
export interface ContainerLimits {
  /** New containers after an ERROR or a missed deadline, unless the catalogue row says otherwise. */
  readonly recreations: number;
  /** Generic ERRORs (no known subcode) tolerated before giving up: the seed's ~5. */
  readonly genericErrors: number;
  /** Expiries (24 h) survived by making a new container. */
  readonly expiries: number;
  /** Consecutive create requests failing with an error igflow does not know (`unknown`) before giving up; network, 5xx and throttle failures are retried for a day instead. */
  readonly transientFailures: number;
  /** How long a container may stay IN_PROGRESS before a new one is made, per media kind (Instagram's behaviour, not scaled by the poll unit). */
  readonly deadlineMs: Readonly<Record<MediaKind, number>>;
}

/** The default {@link ContainerLimits}. */
export const defaultContainerLimits: ContainerLimits = { recreations: 3, genericErrors: 5, expiries: 3, transientFailures: 10, deadlineMs: DEFAULT_PROCESSING_DEADLINE_MS };

/** Input of the container machine. */
export interface ContainerInput extends EffectScope {
  readonly role: ContainerRole;
  readonly params: ContainerParams;
  readonly media: MediaKind;
  readonly unitMs: number;
  /** A container made earlier (before a restart, or a carousel child being reused): re-read it before reuse. */
  readonly existing?: ContainerRef | undefined;
  readonly limits?: Partial<ContainerLimits> | undefined;
}

/** A container made earlier: its id and when it was created. */
export interface ContainerRef {
  readonly containerId: string;
  readonly createdAt: number;
}

/** How a container machine (or a carousel, which also lists its items' containers) ended. */
export type ContainerOutput =
  | { readonly outcome: 'finished'; readonly containerId: string; readonly createdAt: number; readonly children?: readonly (ContainerRef | undefined)[] }
  | { readonly outcome: 'published'; readonly containerId: string; readonly createdAt: number; readonly children?: readonly (ContainerRef | undefined)[] }
  | { readonly outcome: 'expired'; readonly containerId: string }
  | { readonly outcome: 'failed'; readonly error: ErrorJson; readonly containerId: string | undefined };

/** The container machine's context: everything it needs to resume after a restore. */
export interface ContainerContext extends EffectScope {
  readonly role: ContainerRole;
  readonly params: ContainerParams;
  readonly media: MediaKind;
  readonly unitMs: number;
  readonly limits: ContainerLimits;
  readonly containerId: string | undefined;
  readonly createdAt: number | undefined;
  /** The durable deadline of the current wait (invariant 4). */
  readonly wakeAt: number | undefined;
  readonly polls: number;
  readonly created: number;
  readonly recreations: number;
  readonly genericErrors: number;
  readonly expiries: number;
  readonly transientFailures: number;
  /** When the current run of failed requests began (undefined after a success): retries in passing are bounded by time, not by count. */
  readonly failingSince: number | undefined;
  readonly lastError: ErrorJson | undefined;
}

type ContainerEvent =
  | { type: 'xstate.done.actor.createContainer'; output: CreateOutput }
  | { type: 'xstate.error.actor.createContainer'; error: unknown }
  | { type: 'xstate.done.actor.readStatus'; output: StatusOutput }
  | { type: 'xstate.error.actor.readStatus'; error: unknown }
  | { type: 'xstate.done.actor.wait'; output: WaitOutput }
  /** Sent down by the post after a restore: a wait for a new token ends at once. */
  | { type: 'RESTORED' };

const statusOf = (event: ContainerEvent): ContainerStatus | undefined =>
  event.type === 'xstate.done.actor.readStatus' ? event.output.status : undefined;
const failureOf = (event: ContainerEvent) => asStepFailure('error' in event ? event.error : undefined);
/** Failures in passing: the same request may succeed later, so they are retried for a day rather than a number of times. */
const inPassing = (error: ErrorJson) => error.errorClass === 'retry-later' || error.errorClass === 'throttled' || error.errorClass === 'ambiguous';
/** How long the current run of failures has lasted at `at`. */
const failingFor = (context: ContainerContext, at: number) => at - (context.failingSince ?? at);
/** The waiting event of a backoff after a failed request. */
const backoffEmitted = (context: ContainerContext): WaitingEmitted => ({
  type: 'waiting',
  reason: 'backoff',
  until: context.wakeAt ?? 0,
  since: context.failingSince,
  error: context.lastError,
});

const errorStatusProblem = (status: ContainerStatus): ErrorJson =>
  containerProblem({
    errorClass: status.error?.errorClass ?? 'unknown',
    subcode: status.error?.subcode,
    maxAttempts: status.error?.maxAttempts,
    message: `container ${status.id} ended in ERROR${status.status ? `: ${status.status}` : ''}`,
    remedy: status.error?.remedy ?? 'Instagram gave no reason; igflow tries a new container a few times.',
  });

/**
 * One container's lifecycle: creating → polling → finished, with
 * errorRetryable (a new container after an ERROR with a retryable subcode, a
 * generic ERROR or a missed deadline; bounded), expired (a new container;
 * a carousel parent instead ends `expired` so the carousel can re-check its
 * children), published (found already published: never publish again) and
 * failed. Pure: the effects it names are provided by the engine.
 */
export const containerMachine = setup({
  types: {
    context: {} as ContainerContext,
    events: {} as ContainerEvent,
    input: {} as ContainerInput,
    output: {} as ContainerOutput,
    emitted: {} as MachineEmitted,
  },
  actors: {
    createContainer: notProvided<CreateOutput, CreateInput>('createContainer'),
    readStatus: notProvided<StatusOutput, StatusInput>('readStatus'),
    wait: notProvided<WaitOutput, WaitInput>('wait'),
  },
  guards: {
    hasExistingContainer: ({ context }) => context.containerId !== undefined,
    isParent: ({ context }) => context.role === 'carousel-parent',
    expiriesLeft: ({ context }) => context.expiries < context.limits.expiries,
    isFinished: ({ event }) => statusOf(event)?.statusCode === 'FINISHED',
    isPublished: ({ event }) => statusOf(event)?.statusCode === 'PUBLISHED',
    isExpired: ({ event }) => statusOf(event)?.statusCode === 'EXPIRED',
    isError: ({ event }) => statusOf(event)?.statusCode === 'ERROR',
    /** An ERROR a new container may cure, within the bounds. */
    canRecreateAfterError: ({ context, event }) => {
      const error = statusOf(event)?.error;
      if (error === undefined) return false;
      if (error.errorClass === 'unknown') return context.genericErrors < context.limits.genericErrors;
      const retryable = error.errorClass === 'recreate-container' || error.errorClass === 'retry-later' || error.errorClass === 'ambiguous';
      return retryable && context.recreations < (error.maxAttempts ?? context.limits.recreations);
    },
    deadlinePassed: ({ context, event }) => {
      if (context.createdAt === undefined) return false;
      const at = event.type === 'xstate.done.actor.readStatus' ? event.output.at : event.type === 'xstate.error.actor.readStatus' ? failureOf(event).at : undefined;
      return at !== undefined && at >= context.createdAt + pollDeadlineMs(context.media, context.limits.deadlineMs);
    },
    /** Reads that fail with an error igflow does not know stop at the processing deadline (a new container is made). */
    unknownReadsPastDeadline: ({ context, event }) => {
      if (context.createdAt === undefined) return false;
      const { error, at } = failureOf(event);
      return error.errorClass === 'unknown' && at >= context.createdAt + pollDeadlineMs(context.media, context.limits.deadlineMs);
    },
    /** Reads failing in passing go on while the container lives; past its 24 h it is as good as expired. */
    readsFailedPastLife: ({ context, event }) => context.createdAt !== undefined && failureOf(event).at >= context.createdAt + CONTAINER_LIFETIME_MS,
    isAuthFailure: ({ event }) => failureOf(event).error.errorClass === 'auth',
    hasContainer: ({ context }) => context.containerId !== undefined,
    readsFailing: ({ context }) => context.failingSince !== undefined,
    recreationsLeft: ({ context }) => context.recreations < context.limits.recreations,
    /** A create that failed in a way a new container may cure (2207006 at create, say). */
    createNeedsNewContainer: ({ context, event }) => {
      const { error } = failureOf(event);
      return error.errorClass === 'recreate-container' && context.recreations < (error.maxAttempts ?? context.limits.recreations);
    },
    /** A create that failed in passing (network, 5xx, throttle: for a day) or with an unknown error (a few times): the same request may be sent again. */
    createMayRetry: ({ context, event }) => {
      const { error, at } = failureOf(event);
      if (inPassing(error)) return failingFor(context, at) < TRANSIENT_BUDGET_MS;
      return error.errorClass === 'unknown' && context.transientFailures < context.limits.transientFailures;
    },
    readIsPermanent: ({ event }) => !failureOf(event).error.retryable,
  },
  actions: {
    recordCreated: assign(({ context, event }) => {
      if (event.type !== 'xstate.done.actor.createContainer') return {};
      const { containerId, at } = event.output;
      return { containerId, createdAt: at, polls: 0, created: context.created + 1, transientFailures: 0, failingSince: undefined, wakeAt: at + pollDelayMs(1, context.unitMs) };
    }),
    scheduleNextPoll: assign(({ context, event }) => {
      if (event.type !== 'xstate.done.actor.readStatus') return {};
      const polls = context.polls + 1;
      return { polls, failingSince: undefined, wakeAt: event.output.at + pollDelayMs(polls + 1, context.unitMs) };
    }),
    scheduleRepoll: assign(({ context, event }) => {
      const { error, at } = failureOf(event);
      const polls = context.polls + 1;
      const transientFailures = context.transientFailures + 1;
      const backoff = Math.max(pollDelayMs(polls + 1, context.unitMs), retryDelayMs(transientFailures, context.unitMs, error.retryAfterMs));
      return { polls, transientFailures, failingSince: context.failingSince ?? at, lastError: error, wakeAt: at + backoff };
    }),
    scheduleCreateRetry: assign(({ context, event }) => {
      const { error, at } = failureOf(event);
      const transientFailures = context.transientFailures + 1;
      return { transientFailures, failingSince: context.failingSince ?? at, lastError: error, wakeAt: at + retryDelayMs(transientFailures, context.unitMs, error.retryAfterMs) };
    }),
    scheduleAuthRetry: assign(({ event }) => {
      const { error, at } = failureOf(event);
      return { lastError: error, wakeAt: at + AUTH_RETRY_MS };
    }),
    emitBackoff: emit(({ context }) => backoffEmitted(context)),
    emitAuthWait: emit(({ context }): WaitingEmitted => ({ type: 'waiting', reason: 'auth', until: context.wakeAt ?? 0, error: context.lastError })),
    recordErrorStatus: assign(({ context, event }) => {
      const status = statusOf(event);
      if (status === undefined) return {};
      const generic = status.error?.errorClass === 'unknown';
      return { lastError: errorStatusProblem(status), genericErrors: context.genericErrors + (generic ? 1 : 0) };
    }),
    recordDeadline: assign(({ context }) => ({
      lastError: containerProblem({
        errorClass: 'retry-later',
        message: `container ${context.containerId ?? '?'} was not FINISHED within ${Math.round(pollDeadlineMs(context.media, context.limits.deadlineMs) / 1_000)} s`,
        remedy: 'Instagram is slow to process this media: check its size and URL, then publish again.',
      }),
    })),
    recordFailure: assign(({ event }) => ({ lastError: failureOf(event).error })),
    scheduleRecreate: assign(({ context, event }) => {
      const at = event.type === 'xstate.done.actor.readStatus' ? event.output.at : failureOf(event).at;
      const recreations = context.recreations + 1;
      return { recreations, wakeAt: at + retryDelayMs(recreations, context.unitMs, context.lastError?.retryAfterMs) };
    }),
    forgetContainer: assign(({ context }) => ({ containerId: undefined, createdAt: undefined, expiries: context.expiries + 1 })),
    rereadNow: assign({ wakeAt: undefined, polls: 0 }),
  },
}).createMachine({
  id: 'container',
  context: ({ input }) => ({
    postId: input.postId,
    account: input.account,
    role: input.role,
    params: input.params,
    media: input.media,
    unitMs: input.unitMs,
    limits: { ...defaultContainerLimits, ...input.limits, deadlineMs: { ...defaultContainerLimits.deadlineMs, ...input.limits?.deadlineMs } },
    containerId: input.existing?.containerId,
    createdAt: input.existing?.createdAt,
    wakeAt: undefined,
    polls: 0,
    created: 0,
    recreations: 0,
    genericErrors: 0,
    expiries: 0,
    transientFailures: 0,
    failingSince: undefined,
    lastError: undefined,
  }),
  initial: 'start',
  states: {
    start: {
      always: [{ guard: 'hasExistingContainer', target: 'polling', actions: 'rereadNow' }, { target: 'creating' }],
    },
    creating: {
      initial: 'requesting',
      states: {
        requesting: {
          invoke: {
            src: 'createContainer',
            id: 'createContainer',
            input: ({ context }) => ({ postId: context.postId, account: context.account, params: context.params }),
            onDone: { target: '#container.polling', actions: 'recordCreated' },
            onError: [
              { guard: 'isAuthFailure', target: '#container.blocked', actions: 'scheduleAuthRetry' },
              { guard: 'createNeedsNewContainer', target: '#container.errorRetryable', actions: ['recordFailure', 'scheduleRecreate'] },
              { guard: 'createMayRetry', target: 'backingOff', actions: ['scheduleCreateRetry', 'emitBackoff'] },
              { target: '#container.failed', actions: 'recordFailure' },
            ],
          },
        },
        backingOff: {
          // a restored machine does not run entry actions again: the wait is announced anew
          on: { RESTORED: { actions: 'emitBackoff' } },
          invoke: {
            src: 'wait',
            id: 'wait',
            input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }),
            onDone: { target: 'requesting' },
          },
        },
      },
    },
    polling: {
      // restored while reads were failing: the backoff is announced anew
      on: { RESTORED: { guard: 'readsFailing', actions: 'emitBackoff' } },
      invoke: {
        src: 'readStatus',
        id: 'readStatus',
        input: ({ context }) => ({ postId: context.postId, account: context.account, containerId: context.containerId ?? '', wakeAt: context.wakeAt }),
        onDone: [
          { guard: 'isFinished', target: 'finished' },
          { guard: 'isPublished', target: 'published' },
          { guard: 'isExpired', target: 'expired' },
          { guard: 'canRecreateAfterError', target: 'errorRetryable', actions: ['recordErrorStatus', 'scheduleRecreate'] },
          { guard: 'isError', target: 'failed', actions: 'recordErrorStatus' },
          { guard: 'deadlinePassed', target: 'deadlineMissed', actions: 'recordDeadline' },
          { target: 'polling', reenter: true, actions: 'scheduleNextPoll' },
        ],
        onError: [
          { guard: 'isAuthFailure', target: 'blocked', actions: 'scheduleAuthRetry' },
          { guard: 'readIsPermanent', target: 'failed', actions: 'recordFailure' },
          // reads that keep failing must not poll forever: the container's deadline (or its life) holds for them too
          { guard: 'unknownReadsPastDeadline', target: 'deadlineMissed', actions: 'recordFailure' },
          { guard: 'readsFailedPastLife', target: 'expired', actions: 'recordFailure' },
          { target: 'polling', reenter: true, actions: ['scheduleRepoll', 'emitBackoff'] },
        ],
      },
    },
    blocked: {
      // The token (or a permission) was refused: nothing is lost; a resume with a good token carries on at once, or a retry in an hour.
      entry: 'emitAuthWait',
      invoke: {
        src: 'wait',
        id: 'wait',
        input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }),
        onDone: [{ guard: 'hasContainer', target: 'polling', actions: 'rereadNow' }, { target: 'creating' }],
      },
      on: { RESTORED: [{ guard: 'hasContainer', target: 'polling', actions: 'rereadNow' }, { target: 'creating' }] },
    },
    deadlineMissed: {
      always: [{ guard: 'recreationsLeft', target: 'errorRetryable', actions: 'scheduleRecreate' }, { target: 'failed' }],
    },
    errorRetryable: {
      entry: 'emitBackoff',
      on: { RESTORED: { actions: 'emitBackoff' } },
      invoke: {
        src: 'wait',
        id: 'wait',
        input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }),
        onDone: { target: 'creating', actions: assign({ containerId: undefined, createdAt: undefined }) },
      },
    },
    expired: {
      always: [
        { guard: 'isParent', target: 'parentExpired' },
        { guard: 'expiriesLeft', target: 'creating', actions: 'forgetContainer' },
        {
          target: 'failed',
          actions: assign(({ context }) => ({
            lastError: containerProblem({
              errorClass: 'recreate-container',
              message: `containers expired ${context.expiries + 1} times before they could be published`,
              remedy: 'Containers live 24 hours: publish sooner after creating them.',
            }),
          })),
        },
      ],
    },
    finished: {
      type: 'final',
      output: ({ context }) => ({ outcome: 'finished' as const, containerId: context.containerId ?? '', createdAt: context.createdAt ?? 0 }),
    },
    published: {
      type: 'final',
      output: ({ context }) => ({ outcome: 'published' as const, containerId: context.containerId ?? '', createdAt: context.createdAt ?? 0 }),
    },
    parentExpired: {
      type: 'final',
      output: ({ context }) => ({ outcome: 'expired' as const, containerId: context.containerId ?? '' }),
    },
    failed: {
      type: 'final',
      output: ({ context }) => ({
        outcome: 'failed' as const,
        containerId: context.containerId,
        error: context.lastError ?? containerProblem({ errorClass: 'unknown', message: 'container failed', remedy: 'Report it.' }),
      }),
    },
  },
  output: ({ event }) => (event as unknown as { output: ContainerOutput }).output,
});
