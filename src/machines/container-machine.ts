import { assign, emit, setup } from 'xstate';
import type { ContainerStatus } from '../graph/client.js';
import type { ErrorJson } from '../graph/igflow-error.js';
import type { MediaKind, UploadSource } from '../spec/container-plan.js';
import type { ContainerParams } from '../spec/graph-container-params.js';
import type { CreateInput, CreateOutput, EffectScope, StatusInput, StatusOutput, UploadInput, UploadOutput, WaitInput, WaitOutput } from './effect-contract.js';
import { notProvided } from './not-provided.js';
import type { ContainerRole, MachineEmitted, WaitingEmitted } from './progress.js';
import { asStepFailure, containerProblem } from './step-failure.js';
import { CONTAINER_LIFETIME_MS, defaultTiming, TRANSIENT_BUDGET_MS, type Timing } from './timing.js';

/** Bounds on a container's retries (docs/graph-api.md#lifetime-and-the-container-cap). */
export interface ContainerLimits {
  /** New containers after an ERROR or a missed deadline, unless the catalogue row says otherwise. */
  readonly recreations: number;
  /** Generic ERRORs (no known subcode) tolerated before giving up: the seed's ~5. */
  readonly genericErrors: number;
  /** Expiries (24 h) survived by making a new container. */
  readonly expiries: number;
  /** Requests failing in a row with an error no catalogue row knows (`unknown`); failures in passing are retried for a day instead. */
  readonly unknownFailures: number;
}

/** The default {@link ContainerLimits}. */
export const defaultContainerLimits: ContainerLimits = { recreations: 3, genericErrors: 5, expiries: 3, unknownFailures: 10 };

/** A container made earlier: its id and when it was created. */
export interface ContainerRef {
  readonly containerId: string;
  readonly createdAt: number;
}

/** Input of the container machine. */
export interface ContainerInput extends EffectScope {
  readonly role: ContainerRole;
  readonly params: ContainerParams;
  readonly media: MediaKind;
  /** For a resumable container (`upload_type=resumable`): the bytes to send once it exists. */
  readonly upload?: UploadSource | undefined;
  /** A container made earlier (before a restart, or a carousel item being reused): re-read before reuse. */
  readonly existing?: ContainerRef | undefined;
  readonly limits?: Partial<ContainerLimits> | undefined;
  /** For a carousel item: its place (0-based), for progress events. */
  readonly item?: number | undefined;
  /** For a story of a sequence: its place (0-based), for progress events. */
  readonly story?: number | undefined;
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
  /** What to upload, for a resumable container. */
  readonly upload: UploadSource | undefined;
  /** Instagram has every byte of the upload (always true for a container without one). */
  readonly uploaded: boolean;
  readonly item: number | undefined;
  readonly story: number | undefined;
  readonly limits: ContainerLimits;
  readonly containerId: string | undefined;
  readonly createdAt: number | undefined;
  /** When Instagram began processing it: its creation, or the end of its upload for a resumable one (polls are placed from here). */
  readonly processingSince: number | undefined;
  /** Until when the container may stay IN_PROGRESS (set when it is created). */
  readonly deadlineAt: number | undefined;
  /** The durable deadline of the current wait (docs/design.md#machines: every wait is a state with its deadline). */
  readonly wakeAt: number | undefined;
  readonly polls: number;
  readonly created: number;
  readonly recreations: number;
  readonly genericErrors: number;
  readonly expiries: number;
  /** Requests failed in a row; the next backoff grows with it. */
  readonly failures: number;
  /** When the current run of failed requests began (undefined after a success). */
  readonly failingSince: number | undefined;
  readonly lastError: ErrorJson | undefined;
  readonly outcome: ContainerOutput | undefined;
}

type ContainerEvent =
  | { type: 'xstate.done.actor.createContainer'; output: CreateOutput }
  | { type: 'xstate.error.actor.createContainer'; error: unknown }
  | { type: 'xstate.done.actor.uploadVideo'; output: UploadOutput }
  | { type: 'xstate.error.actor.uploadVideo'; error: unknown }
  | { type: 'xstate.done.actor.readStatus'; output: StatusOutput }
  | { type: 'xstate.error.actor.readStatus'; error: unknown }
  | { type: 'xstate.done.actor.wait'; output: WaitOutput }
  /** Sent down by the post after a restore: a wait for a new token ends at once; other waits are announced anew. */
  | { type: 'RESTORED' };

const statusOf = (event: ContainerEvent): ContainerStatus | undefined => (event.type === 'xstate.done.actor.readStatus' ? event.output.status : undefined);
const failureOf = (event: ContainerEvent) => asStepFailure('error' in event ? event.error : undefined);
const atOf = (event: ContainerEvent): number =>
  event.type === 'xstate.done.actor.readStatus' || event.type === 'xstate.done.actor.createContainer' || event.type === 'xstate.done.actor.uploadVideo' ? event.output.at : failureOf(event).at;
/** Failures in passing: the same request may succeed later, so they are retried for a day rather than a number of times. */
const inPassing = (error: ErrorJson) => error.errorClass === 'retry-later' || error.errorClass === 'throttled' || error.errorClass === 'ambiguous';

const errorStatusProblem = (status: ContainerStatus): ErrorJson =>
  containerProblem({
    errorClass: status.error?.errorClass ?? 'unknown',
    subcode: status.error?.subcode,
    maxAttempts: status.error?.maxAttempts,
    message: `container ${status.id} ended in ERROR${status.status ? `: ${status.status}` : ''}`,
    remedy: status.error?.remedy ?? 'Instagram gave no reason; igflow tries a new container a few times.',
  });

/**
 * Builds the container machine on a {@link Timing}. One container's
 * lifecycle: creating → uploading (a resumable container's bytes, sent
 * from wherever Instagram stopped) → polling (waiting ⇄ reading) → finished, with
 * errorRetryable (a new container after an ERROR with a retryable subcode,
 * a generic ERROR or a missed deadline; bounded), expired (a new container;
 * a carousel parent instead ends `expired` so the carousel can re-check its
 * items), blocked (the token or a permission was refused: it waits for a
 * resume, or an hour), published (found already published: never publish
 * again) and failed. Every wait is a state invoking `wait` with its
 * deadline in context; the effects it names are provided by the engine.
 */
export function createContainerMachine(timing: Timing) {
  return setup({
    types: {
      context: {} as ContainerContext,
      events: {} as ContainerEvent,
      input: {} as ContainerInput,
      output: {} as ContainerOutput,
      emitted: {} as MachineEmitted,
    },
    actors: {
      createContainer: notProvided<CreateOutput, CreateInput>('createContainer'),
      uploadVideo: notProvided<UploadOutput, UploadInput>('uploadVideo'),
      readStatus: notProvided<StatusOutput, StatusInput>('readStatus'),
      wait: notProvided<WaitOutput, WaitInput>('wait'),
    },
    guards: {
      hasContainer: ({ context }) => context.containerId !== undefined,
      /** A resumable container whose bytes Instagram does not all have yet. */
      uploadPending: ({ context }) => context.containerId !== undefined && context.upload !== undefined && !context.uploaded,
      needsUpload: ({ context }) => context.upload !== undefined,
      isParent: ({ context }) => context.role === 'carousel-parent',
      expiriesLeft: ({ context }) => context.expiries < context.limits.expiries,
      recreationsLeft: ({ context }) => context.recreations < context.limits.recreations,
      readsFailing: ({ context }) => context.failingSince !== undefined,
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
      deadlinePassed: ({ context, event }) => context.deadlineAt !== undefined && atOf(event) >= context.deadlineAt,
      isAuthFailure: ({ event }) => failureOf(event).error.errorClass === 'auth',
      /** A create that failed in a way a new container may cure (2207006 at create, say). */
      createNeedsNewContainer: ({ context, event }) => {
        const { error } = failureOf(event);
        return error.errorClass === 'recreate-container' && context.recreations < (error.maxAttempts ?? context.limits.recreations);
      },
      /** A request that failed in passing (network, 5xx, throttle: for a day) or with an unknown error (a few times) may be sent again. */
      mayRetry: ({ context, event }) => {
        const { error, at } = failureOf(event);
        if (inPassing(error)) return at - (context.failingSince ?? at) < TRANSIENT_BUDGET_MS;
        return error.errorClass === 'unknown' && context.failures < context.limits.unknownFailures;
      },
      readIsPermanent: ({ event }) => !failureOf(event).error.retryable,
      /** Reads failing with an error no catalogue row knows stop at the processing deadline (a new container is made). */
      unknownReadsPastDeadline: ({ context, event }) => {
        const { error, at } = failureOf(event);
        return error.errorClass === 'unknown' && context.deadlineAt !== undefined && at >= context.deadlineAt;
      },
      /** Reads failing in passing go on while the container lives; past its 24 h it is as good as expired. */
      readsFailedPastLife: ({ context, event }) => context.createdAt !== undefined && failureOf(event).at >= context.createdAt + CONTAINER_LIFETIME_MS,
    },
    actions: {
      announce: emit(({ context }, params: { state: string }) => ({
        type: 'container' as const,
        role: context.role,
        state: params.state,
        containerId: context.containerId,
        item: context.item,
        story: context.story,
      })),
      emitBackoff: emit(({ context }): WaitingEmitted => ({ type: 'waiting', reason: 'backoff', until: context.wakeAt ?? 0, since: context.failingSince, error: context.lastError })),
      emitAuthWait: emit(({ context }): WaitingEmitted => ({ type: 'waiting', reason: 'auth', until: context.wakeAt ?? 0, error: context.lastError })),
      recordCreated: assign(({ context, event }) => {
        if (event.type !== 'xstate.done.actor.createContainer') return {};
        const { containerId, at } = event.output;
        return {
          containerId,
          createdAt: at,
          deadlineAt: at + timing.deadlineMs(context.media),
          polls: 0,
          created: context.created + 1,
          failures: 0,
          failingSince: undefined,
          processingSince: at,
          wakeAt: timing.nextPollAt({ account: context.account, media: context.media, role: context.role, createdAt: at, polls: 0, at }),
        };
      }),
      recordUploaded: assign(({ context, event }) => {
        if (event.type !== 'xstate.done.actor.uploadVideo') return {};
        const { at } = event.output;
        // Instagram processes the video once it has every byte: its deadline and the first poll count from now
        return {
          uploaded: true,
          deadlineAt: at + timing.deadlineMs(context.media),
          polls: 0,
          failures: 0,
          failingSince: undefined,
          processingSince: at,
          wakeAt: timing.nextPollAt({ account: context.account, media: context.media, role: context.role, createdAt: at, polls: 0, at }),
        };
      }),
      scheduleNextPoll: assign(({ context, event }) => {
        if (event.type !== 'xstate.done.actor.readStatus') return {};
        const polls = context.polls + 1;
        const { at } = event.output;
        return { polls, failures: 0, failingSince: undefined, wakeAt: timing.nextPollAt({ account: context.account, media: context.media, role: context.role, createdAt: context.processingSince ?? context.createdAt ?? at, polls, at }) };
      }),
      scheduleRepoll: assign(({ context, event }) => {
        const { error, at } = failureOf(event);
        const polls = context.polls + 1;
        const failures = context.failures + 1;
        const nextPoll = timing.nextPollAt({ account: context.account, media: context.media, role: context.role, createdAt: context.processingSince ?? context.createdAt ?? at, polls, at });
        return { polls, failures, failingSince: context.failingSince ?? at, lastError: error, wakeAt: Math.max(nextPoll, at + timing.retryDelayMs(failures, error.retryAfterMs)) };
      }),
      scheduleRetry: assign(({ context, event }) => {
        const { error, at } = failureOf(event);
        const failures = context.failures + 1;
        return { failures, failingSince: context.failingSince ?? at, lastError: error, wakeAt: at + timing.retryDelayMs(failures, error.retryAfterMs) };
      }),
      waitForAuth: assign(({ event }) => {
        const { error, at } = failureOf(event);
        return { lastError: error, wakeAt: at + timing.authRetryMs };
      }),
      recordErrorStatus: assign(({ context, event }) => {
        const status = statusOf(event);
        if (status === undefined) return {};
        return { lastError: errorStatusProblem(status), genericErrors: context.genericErrors + (status.error?.errorClass === 'unknown' ? 1 : 0) };
      }),
      recordDeadline: assign(({ context }) => ({
        lastError: containerProblem({
          errorClass: 'retry-later',
          message: `container ${context.containerId ?? '?'} was not FINISHED within ${Math.round(timing.deadlineMs(context.media) / 1_000)} s`,
          remedy: 'Instagram is slow to process this media: check its size and URL, then publish again.',
        }),
      })),
      recordFailure: assign(({ event }) => ({ lastError: failureOf(event).error })),
      scheduleRecreate: assign(({ context, event }) => {
        const recreations = context.recreations + 1;
        return { recreations, wakeAt: atOf(event) + timing.retryDelayMs(recreations, context.lastError?.retryAfterMs) };
      }),
      forgetContainer: assign({ containerId: undefined, createdAt: undefined, processingSince: undefined, deadlineAt: undefined, uploaded: false }),
      countExpiry: assign(({ context }) => ({ expiries: context.expiries + 1 })),
      rereadNow: assign({ wakeAt: undefined, polls: 0 }),
      recordTooManyExpiries: assign(({ context }) => ({
        lastError: containerProblem({
          errorClass: 'recreate-container',
          message: `containers expired ${context.expiries + 1} times before they could be published`,
          remedy: 'Containers live 24 hours: publish sooner after creating them.',
        }),
      })),
      endFinished: assign(({ context }) => ({ outcome: { outcome: 'finished' as const, containerId: context.containerId ?? '', createdAt: context.createdAt ?? 0 } })),
      endPublished: assign(({ context }) => ({ outcome: { outcome: 'published' as const, containerId: context.containerId ?? '', createdAt: context.createdAt ?? 0 } })),
      endExpired: assign(({ context }) => ({ outcome: { outcome: 'expired' as const, containerId: context.containerId ?? '' } })),
      endFailed: assign(({ context }) => ({
        outcome: {
          outcome: 'failed' as const,
          containerId: context.containerId,
          error: context.lastError ?? containerProblem({ errorClass: 'unknown', message: 'container failed', remedy: 'Report it.' }),
        },
      })),
    },
  }).createMachine({
    id: 'container',
    context: ({ input }) => ({
      postId: input.postId,
      account: input.account,
      role: input.role,
      params: input.params,
      media: input.media,
      upload: input.upload,
      // a container made earlier was uploaded before it was kept (only a FINISHED container is reused)
      uploaded: input.upload === undefined || input.existing !== undefined,
      item: input.item,
      story: input.story,
      limits: { ...defaultContainerLimits, ...input.limits },
      containerId: input.existing?.containerId,
      createdAt: input.existing?.createdAt,
      processingSince: input.existing?.createdAt,
      deadlineAt: input.existing === undefined ? undefined : input.existing.createdAt + timing.deadlineMs(input.media),
      wakeAt: undefined,
      polls: 0,
      created: 0,
      recreations: 0,
      genericErrors: 0,
      expiries: 0,
      failures: 0,
      failingSince: undefined,
      lastError: undefined,
      outcome: undefined,
    }),
    initial: 'start',
    states: {
      start: {
        always: [{ guard: 'hasContainer', target: 'polling', actions: 'rereadNow' }, { target: 'creating' }],
      },
      creating: {
        entry: { type: 'announce', params: { state: 'creating' } },
        initial: 'requesting',
        states: {
          requesting: {
            invoke: {
              src: 'createContainer',
              id: 'createContainer',
              input: ({ context }) => ({ postId: context.postId, account: context.account, params: context.params }),
              onDone: [
                { guard: 'needsUpload', target: '#container.uploading', actions: 'recordCreated' },
                { target: '#container.polling', actions: 'recordCreated' },
              ],
              onError: [
                { guard: 'isAuthFailure', target: '#container.blocked', actions: 'waitForAuth' },
                { guard: 'createNeedsNewContainer', target: '#container.errorRetryable', actions: ['recordFailure', 'scheduleRecreate'] },
                { guard: 'mayRetry', target: 'backingOff', actions: ['scheduleRetry', 'emitBackoff'] },
                { target: '#container.failed', actions: 'recordFailure' },
              ],
            },
          },
          backingOff: {
            tags: ['waiting'],
            // a restored machine does not run entry actions again: the wait is announced anew
            on: { RESTORED: { actions: 'emitBackoff' } },
            invoke: { src: 'wait', id: 'wait', input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }), onDone: { target: 'requesting' } },
          },
        },
      },
      uploading: {
        entry: { type: 'announce', params: { state: 'uploading' } },
        initial: 'sending',
        states: {
          sending: {
            invoke: {
              src: 'uploadVideo',
              id: 'uploadVideo',
              input: ({ context }) => ({ postId: context.postId, account: context.account, containerId: context.containerId ?? '', source: context.upload ?? { from: 'url', url: '' }, item: context.item, story: context.story }),
              onDone: { target: '#container.polling', actions: 'recordUploaded' },
              onError: [
                { guard: 'isAuthFailure', target: '#container.blocked', actions: 'waitForAuth' },
                // the file changed or is gone, or Instagram cannot take this video: nothing to retry
                { guard: 'readIsPermanent', target: '#container.failed', actions: 'recordFailure' },
                { guard: 'readsFailedPastLife', target: '#container.expired', actions: 'recordFailure' },
                { guard: 'mayRetry', target: 'backingOff', actions: ['scheduleRetry', 'emitBackoff'] },
                { target: '#container.failed', actions: 'recordFailure' },
              ],
            },
          },
          backingOff: {
            tags: ['waiting'],
            on: { RESTORED: { actions: 'emitBackoff' } },
            // the next attempt asks Instagram how many bytes it has, and sends only the rest
            invoke: { src: 'wait', id: 'wait', input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }), onDone: { target: 'sending' } },
          },
        },
      },
      polling: {
        entry: { type: 'announce', params: { state: 'polling' } },
        initial: 'waiting',
        states: {
          waiting: {
            tags: ['waiting'],
            on: { RESTORED: { guard: 'readsFailing', actions: 'emitBackoff' } },
            invoke: { src: 'wait', id: 'wait', input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }), onDone: { target: 'reading' } },
          },
          reading: {
            invoke: {
              src: 'readStatus',
              id: 'readStatus',
              input: ({ context }) => ({ postId: context.postId, account: context.account, containerId: context.containerId ?? '' }),
              onDone: [
                { guard: 'isFinished', target: '#container.finished' },
                { guard: 'isPublished', target: '#container.published' },
                { guard: 'isExpired', target: '#container.expired' },
                { guard: 'canRecreateAfterError', target: '#container.errorRetryable', actions: ['recordErrorStatus', 'scheduleRecreate'] },
                { guard: 'isError', target: '#container.failed', actions: 'recordErrorStatus' },
                { guard: 'deadlinePassed', target: '#container.deadlineMissed', actions: 'recordDeadline' },
                { target: 'waiting', actions: 'scheduleNextPoll' },
              ],
              onError: [
                { guard: 'isAuthFailure', target: '#container.blocked', actions: 'waitForAuth' },
                { guard: 'readIsPermanent', target: '#container.failed', actions: 'recordFailure' },
                // reads that keep failing must not poll forever: the processing deadline (or the container's life) holds for them too
                { guard: 'unknownReadsPastDeadline', target: '#container.deadlineMissed', actions: 'recordFailure' },
                { guard: 'readsFailedPastLife', target: '#container.expired', actions: 'recordFailure' },
                { target: 'waiting', actions: ['scheduleRepoll', 'emitBackoff'] },
              ],
            },
          },
        },
      },
      blocked: {
        // the token (or a permission) was refused: nothing is lost; a resume with a good token carries on at once, or a retry in an hour
        tags: ['waiting'],
        entry: [{ type: 'announce', params: { state: 'blocked' } }, 'emitAuthWait'],
        invoke: {
          src: 'wait',
          id: 'wait',
          input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }),
          onDone: [{ guard: 'uploadPending', target: 'uploading' }, { guard: 'hasContainer', target: 'polling', actions: 'rereadNow' }, { target: 'creating' }],
        },
        on: { RESTORED: [{ guard: 'uploadPending', target: 'uploading' }, { guard: 'hasContainer', target: 'polling', actions: 'rereadNow' }, { target: 'creating' }] },
      },
      deadlineMissed: {
        always: [{ guard: 'recreationsLeft', target: 'errorRetryable', actions: 'scheduleRecreate' }, { target: 'failed' }],
      },
      errorRetryable: {
        tags: ['waiting'],
        entry: [{ type: 'announce', params: { state: 'errorRetryable' } }, 'emitBackoff'],
        on: { RESTORED: { actions: 'emitBackoff' } },
        invoke: { src: 'wait', id: 'wait', input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }), onDone: { target: 'creating', actions: 'forgetContainer' } },
      },
      expired: {
        always: [
          { guard: 'isParent', target: 'parentExpired' },
          { guard: 'expiriesLeft', target: 'creating', actions: ['forgetContainer', 'countExpiry'] },
          { target: 'failed', actions: 'recordTooManyExpiries' },
        ],
      },
      finished: { type: 'final', entry: ['endFinished', { type: 'announce', params: { state: 'finished' } }] },
      published: { type: 'final', entry: ['endPublished', { type: 'announce', params: { state: 'published' } }] },
      parentExpired: { type: 'final', entry: ['endExpired', { type: 'announce', params: { state: 'expired' } }] },
      failed: { type: 'final', entry: ['endFailed', { type: 'announce', params: { state: 'failed' } }] },
    },
    output: ({ context }) =>
      context.outcome ?? { outcome: 'failed', containerId: context.containerId, error: containerProblem({ errorClass: 'unknown', message: 'container ended without an outcome', remedy: 'Report it.' }) },
  });
}

/** The container machine on the default timing (diagrams, docs, tests that need no engine). */
export const containerMachine = createContainerMachine(defaultTiming);
