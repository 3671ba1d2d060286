import { and, assign, emit, sendTo, setup } from 'xstate';
import type { ErrorJson } from '../graph/igflow-error.js';
import type { ContainerPlan } from '../spec/container-plan.js';
import { containerPlan } from '../spec/graph-params.js';
import type { Login, PostSpec } from '../spec/post-spec.js';
import { validatePostSpec } from '../spec/validate.js';
import { carouselMachine, type CarouselInput } from './carousel-machine.js';
import { containerMachine, defaultContainerLimits, type ContainerInput, type ContainerLimits, type ContainerOutput, type ContainerRef } from './container-machine.js';
import type { EffectScope, FindMediaInput, FindMediaOutput, MediaMatch, PublishInput, PublishOutput, QuotaInput, QuotaOutput, VerifyInput, VerifyOutput, WaitInput, WaitOutput } from './effect-contract.js';
import { invalidSpecError } from './invalid-spec.js';
import { notProvided } from './not-provided.js';
import { asStepFailure, containerProblem } from './step-failure.js';
import type { MachineEmitted, WaitingEmitted, WaitReason } from './progress.js';
import { AUTH_RETRY_MS, retryDelayMs, scheduleLeadMs, TRANSIENT_BUDGET_MS, VERIFY_GRACE_UNITS } from './timing.js';

/** Bounds on the post's own retries. */
export interface PostLimits {
  /** Publish requests failing in a row with an error igflow does not know (`unknown`); failures in passing (network, 5xx, throttle) are retried for a day instead. */
  readonly publishRetries: number;
  /** Status reads while verifying failing in a row with an unknown error before igflow reports the post as unverified; failures in passing are retried for a day. */
  readonly verifyRetries: number;
  /** Times the container is re-read or re-made because a publish found it not ready or gone. */
  readonly reprepares: number;
}

/** The default {@link PostLimits}. */
export const defaultPostLimits: PostLimits = { publishRetries: 10, verifyRetries: 20, reprepares: 5 };

/** Input of the post machine (an image, a reel, a story or a carousel). */
export interface PostInput extends EffectScope {
  /** The spec as the user gave it; validated again on start. */
  readonly spec: unknown;
  readonly login?: Login | undefined;
  readonly unitMs: number;
  readonly limits?: Partial<PostLimits> | undefined;
  /** Bounds of the post's containers (processing deadlines, recreations). */
  readonly containerLimits?: Partial<ContainerLimits> | undefined;
  /** Media ids of earlier posts that recovery must never take for this one (earlier stories of a sequence). */
  readonly knownMediaIds?: readonly string[] | undefined;
}

/** How a post ended. */
export type PostOutput =
  | { readonly outcome: 'published'; readonly mediaId: string | undefined; readonly containerId: string }
  | { readonly outcome: 'failed'; readonly error: ErrorJson; readonly containerId: string | undefined };

type SinglePlan = Exclude<ContainerPlan, { kind: 'stories' }>;

/** The post machine's context. */
export interface PostContext extends EffectScope {
  readonly spec: unknown;
  readonly login: Login;
  readonly unitMs: number;
  readonly limits: PostLimits;
  readonly containerLimits: Partial<ContainerLimits>;
  readonly knownMediaIds: readonly string[];
  readonly plan: SinglePlan | undefined;
  readonly publishAt: number | undefined;
  readonly match: MediaMatch | undefined;
  /** The container to publish (for a carousel, the parent). */
  readonly container: ContainerRef | undefined;
  /** A carousel's item containers, reused when the parent must be made again. */
  readonly children: readonly (ContainerRef | undefined)[] | undefined;
  readonly mediaId: string | undefined;
  /** The latest time an effect reported: the machines never read a clock. */
  readonly lastAt: number;
  /** When the latest publish request went out, at the earliest. */
  readonly publishAttemptAt: number | undefined;
  readonly wakeAt: number | undefined;
  readonly publishFailures: number;
  readonly verifyFailures: number;
  readonly reprepares: number;
  /** When the current run of failed requests began (undefined after a success): retries in passing are bounded by time. */
  readonly failingSince: number | undefined;
  /** After a wait for a new token, verify first (the refused call was a status read while verifying) rather than check the quota and publish. */
  readonly verifyAfterAuth: boolean;
  /** Instagram refused the last publish as over the daily limit (2207042): the quota check must not trust an older count. */
  readonly serverSaidFull: boolean;
  /** The account's quota as last checked. */
  readonly quota: { readonly used: number; readonly total: number } | undefined;
  readonly error: ErrorJson | undefined;
}

type PostEvent =
  | { type: 'xstate.done.actor.container'; output: ContainerOutput }
  | { type: 'xstate.error.actor.container'; error: unknown }
  | { type: 'xstate.done.actor.publishContainer'; output: PublishOutput }
  | { type: 'xstate.error.actor.publishContainer'; error: unknown }
  | { type: 'xstate.done.actor.verifyPublish'; output: VerifyOutput }
  | { type: 'xstate.error.actor.verifyPublish'; error: unknown }
  | { type: 'xstate.done.actor.wait'; output: WaitOutput }
  | { type: 'xstate.done.actor.checkQuota'; output: QuotaOutput }
  | { type: 'xstate.done.actor.findMedia'; output: FindMediaOutput }
  | { type: 'xstate.error.actor.findMedia'; error: unknown }
  | { type: 'xstate.error.actor.checkQuota'; error: unknown }
  /**
   * Sent by the engine right after restoring a snapshot (a new process took
   * the post up): a publish in flight may have gone through, so it is
   * verified; a quota wait is re-checked and a wait for a new token ends at
   * once; everything else carries on where it was.
   */
  | { type: 'RESTORED' };

const mediaTypeOf = (spec: PostSpec): MediaMatch['mediaType'] => {
  if (spec.kind === 'carousel') return 'CAROUSEL_ALBUM';
  if (spec.kind === 'reel' || ('videoUrl' in spec && spec.videoUrl !== undefined)) return 'VIDEO';
  return 'IMAGE';
};
const matchFor = (spec: PostSpec, exclude: readonly string[]): MediaMatch => ({
  productType: spec.kind === 'reel' ? 'REELS' : spec.kind === 'story' ? 'STORY' : 'FEED',
  mediaType: mediaTypeOf(spec),
  caption: 'caption' in spec ? spec.caption : undefined,
  exclude,
});
const containerOutcome = (event: PostEvent) => (event.type === 'xstate.done.actor.container' ? event.output : undefined);
const verifyOutcome = (event: PostEvent) => (event.type === 'xstate.done.actor.verifyPublish' ? event.output.outcome : undefined);
const failureOf = (event: PostEvent) => asStepFailure('error' in event ? event.error : undefined);
const publishAtOf = (spec: PostSpec): number | undefined => (spec.publishAt === undefined ? undefined : Date.parse(spec.publishAt));
const planMedia = (plan: SinglePlan | undefined) => (plan?.kind === 'carousel' ? plan.parent.media : (plan?.media ?? 'image'));
/** Failures in passing: the same request may succeed later, so they are retried for a day rather than a number of times. */
const inPassing = (errorClass: string) => errorClass === 'retry-later' || errorClass === 'throttled';
/** Whether a step that failed may be tried again: in passing for a day, with an unknown error `count < limit` times. */
const mayRetry = (context: PostContext, failure: { error: ErrorJson; at: number }, count: number, limit: number): boolean => {
  if (!failure.error.retryable) return false;
  if (inPassing(failure.error.errorClass)) return failure.at - (context.failingSince ?? failure.at) < TRANSIENT_BUDGET_MS;
  return count < limit;
};
const waiting = (context: PostContext, reason: WaitReason): WaitingEmitted => ({
  type: 'waiting',
  reason,
  until: context.wakeAt ?? 0,
  ...(reason === 'backoff' || reason === 'auth' ? { since: context.failingSince, error: context.error } : {}),
  ...(reason === 'schedule' ? { publishAt: context.publishAt } : {}),
});

/**
 * One post's lifecycle: validating → scheduled → preparing (a container, or
 * a carousel) → ready → checkingQuota (waitingQuota while the daily quota is
 * used up) → publishing → verifying (after an ambiguous publish) →
 * published | failed; a container found already PUBLISHED goes through
 * recovering (find the media id) to published, never to another publish. media_publish is never blindly retried (design.md
 * invariant 2): an answer that may hide a publish, or a restore while a
 * publish was in flight, leads to `verifying`, which reads the container's
 * status before anything is sent again.
 */
export const postMachine = setup({
  types: {
    context: {} as PostContext,
    events: {} as PostEvent,
    input: {} as PostInput,
    output: {} as PostOutput,
    emitted: {} as MachineEmitted,
  },
  actors: {
    container: containerMachine,
    carousel: carouselMachine,
    publishContainer: notProvided<PublishOutput, PublishInput>('publishContainer'),
    verifyPublish: notProvided<VerifyOutput, VerifyInput>('verifyPublish'),
    checkQuota: notProvided<QuotaOutput, QuotaInput>('checkQuota'),
    findMedia: notProvided<FindMediaOutput, FindMediaInput>('findMedia'),
    wait: notProvided<WaitOutput, WaitInput>('wait'),
  },
  guards: {
    specIsValid: ({ context }) => validatePostSpec(context.spec, { login: context.login }).ok,
    specIsScheduled: ({ context }) => {
      const result = validatePostSpec(context.spec, { login: context.login });
      return result.ok && result.spec.publishAt !== undefined;
    },
    isScheduled: ({ context }) => context.publishAt !== undefined,
    isCarousel: ({ context }) => context.plan?.kind === 'carousel',
    containerFinished: ({ event }) => containerOutcome(event)?.outcome === 'finished',
    containerPublished: ({ event }) => containerOutcome(event)?.outcome === 'published',
    publishNotReady: ({ context, event }) => failureOf(event).error.errorClass === 'not-ready' && context.reprepares < context.limits.reprepares,
    publishOverQuota: ({ event }) => failureOf(event).error.errorClass === 'quota',
    publishAmbiguous: ({ event }) => failureOf(event).error.errorClass === 'ambiguous',
    publishMayRetry: ({ context, event }) => mayRetry(context, failureOf(event), context.publishFailures, context.limits.publishRetries),
    isAuthFailure: ({ event }) => failureOf(event).error.errorClass === 'auth',
    verifyAfterAuth: ({ context }) => context.verifyAfterAuth,
    quotaAllows: ({ event }) => event.type === 'xstate.done.actor.checkQuota' && event.output.ok,
    verifiedPublished: ({ event }) => verifyOutcome(event) === 'published',
    verifiedNotPublished: ({ event }) => verifyOutcome(event) === 'not-published',
    repreparesLeft: ({ context }) => context.reprepares < context.limits.reprepares,
    verifyRetriesLeft: ({ context, event }) => mayRetry(context, failureOf(event), context.verifyFailures, context.limits.verifyRetries),
  },
  actions: {
    makePlan: assign(({ context }) => {
      const result = validatePostSpec(context.spec, { login: context.login });
      if (!result.ok || result.spec.kind === 'stories') return {};
      const plan = containerPlan(result.spec) as SinglePlan;
      return { plan, publishAt: publishAtOf(result.spec), match: matchFor(result.spec, context.knownMediaIds) };
    }),
    recordInvalid: assign(({ context }) => ({ error: invalidSpecError(context.spec, context.login, 'stories go through the stories machine') })),
    scheduleContainer: assign(({ context }) => ({
      wakeAt: (context.publishAt ?? 0) - scheduleLeadMs(planMedia(context.plan), { ...defaultContainerLimits.deadlineMs, ...context.containerLimits.deadlineMs }),
    })),
    waitForPublishAt: assign(({ context }) => ({ wakeAt: context.publishAt ?? 0 })),
    noteTime: assign(({ context, event }) => ('output' in event && 'at' in event.output ? { lastAt: Math.max(context.lastAt, event.output.at) } : {})),
    recordContainer: assign(({ event }) => {
      const outcome = containerOutcome(event);
      // runs only behind the containerFinished / containerPublished guards
      if (outcome === undefined || !('createdAt' in outcome)) return {};
      return { container: { containerId: outcome.containerId, createdAt: outcome.createdAt }, children: outcome.children, lastAt: outcome.createdAt };
    }),
    recordContainerFailure: assign(({ event }) => {
      const outcome = containerOutcome(event);
      return {
        error:
          outcome?.outcome === 'failed'
            ? outcome.error
            : containerProblem({ errorClass: 'unknown', message: 'the container could not be prepared', remedy: 'Report it.' }),
      };
    }),
    startPublish: assign(({ context }) => ({ publishAttemptAt: context.lastAt })),
    recordPublished: assign(({ event }) => (event.type === 'xstate.done.actor.publishContainer' ? { mediaId: event.output.mediaId, lastAt: event.output.at, failingSince: undefined } : {})),
    recordPublishFailure: assign(({ context, event }) => {
      const { error, at } = failureOf(event);
      const publishFailures = context.publishFailures + 1;
      return {
        error,
        lastAt: Math.max(context.lastAt, at),
        publishFailures,
        failingSince: context.failingSince ?? at,
        wakeAt: at + retryDelayMs(publishFailures, context.unitMs, error.retryAfterMs),
      };
    }),
    waitForAuth: assign(({ context, event }) => {
      const { error, at } = failureOf(event);
      return { error, lastAt: Math.max(context.lastAt, at), verifyAfterAuth: event.type === 'xstate.error.actor.verifyPublish', wakeAt: at + AUTH_RETRY_MS };
    }),
    noteServerFull: assign(({ context, event }) => {
      const { error, at } = failureOf(event);
      return { error, serverSaidFull: true, lastAt: Math.max(context.lastAt, at) };
    }),
    recordQuota: assign(({ context, event }) => {
      if (event.type !== 'xstate.done.actor.checkQuota') return {};
      const { used, total, at, wakeAt } = event.output;
      return { quota: { used, total }, serverSaidFull: false, lastAt: Math.max(context.lastAt, at), wakeAt };
    }),
    retryQuotaLater: assign(({ context, event }) => {
      const { error, at } = failureOf(event);
      return { error, lastAt: Math.max(context.lastAt, at), wakeAt: at + retryDelayMs(1, context.unitMs, error.retryAfterMs) };
    }),
    recordFound: assign(({ context, event }) =>
      event.type === 'xstate.done.actor.findMedia' ? { mediaId: event.output.mediaId, lastAt: Math.max(context.lastAt, event.output.at) } : {},
    ),
    recordVerified: assign(({ event }) => (event.type === 'xstate.done.actor.verifyPublish' ? { mediaId: event.output.mediaId, lastAt: event.output.at, failingSince: undefined } : {})),
    clearFailures: assign({ failingSince: undefined }),
    scheduleReverify: assign(({ context, event }) => {
      const { error, at } = failureOf(event);
      const verifyFailures = context.verifyFailures + 1;
      return {
        error,
        verifyFailures,
        failingSince: context.failingSince ?? at,
        lastAt: Math.max(context.lastAt, at),
        wakeAt: at + retryDelayMs(verifyFailures, context.unitMs, error.retryAfterMs),
      };
    }),
    recordUnverified: assign(({ event }) => ({
      error: {
        ...failureOf(event).error,
        message: `could not verify whether the post was published: ${failureOf(event).error.message}`,
        remedy: 'The post may be live: check the account before publishing it again.',
      },
    })),
    countReprepare: assign(({ context }) => ({ reprepares: context.reprepares + 1, publishFailures: 0, wakeAt: undefined })),
    clearWake: assign({ wakeAt: undefined }),
    forgetDeadContainer: assign(({ context, event }) => {
      const outcome = verifyOutcome(event);
      return { container: outcome === 'expired' || outcome === 'error' ? undefined : context.container };
    }),
    emitScheduleWait: emit(({ context }) => waiting(context, 'schedule')),
    emitBackoff: emit(({ context }) => waiting(context, 'backoff')),
    emitQuotaWait: emit(({ context }) => waiting(context, 'quota')),
    emitAuthWait: emit(({ context }) => waiting(context, 'auth')),
    forwardRestored: sendTo('container', { type: 'RESTORED' }),
  },
}).createMachine({
  id: 'post',
  context: ({ input }) => ({
    postId: input.postId,
    account: input.account,
    spec: input.spec,
    login: input.login ?? 'instagram',
    unitMs: input.unitMs,
    limits: { ...defaultPostLimits, ...input.limits },
    containerLimits: input.containerLimits ?? {},
    knownMediaIds: input.knownMediaIds ?? [],
    plan: undefined,
    publishAt: undefined,
    match: undefined,
    container: undefined,
    children: undefined,
    mediaId: undefined,
    lastAt: 0,
    publishAttemptAt: undefined,
    wakeAt: undefined,
    publishFailures: 0,
    verifyFailures: 0,
    reprepares: 0,
    failingSince: undefined,
    verifyAfterAuth: false,
    serverSaidFull: false,
    quota: undefined,
    error: undefined,
  }),
  initial: 'validating',
  states: {
    validating: {
      always: [
        { guard: and(['specIsValid', 'specIsScheduled']), target: 'scheduled', actions: 'makePlan' },
        { guard: 'specIsValid', target: 'preparing', actions: 'makePlan' },
        { target: 'failed', actions: 'recordInvalid' },
      ],
    },
    scheduled: {
      entry: ['scheduleContainer', 'emitScheduleWait'],
      // a restored machine does not run entry actions again: the wait is announced anew
      on: { RESTORED: { actions: 'emitScheduleWait' } },
      invoke: {
        src: 'wait',
        id: 'wait',
        input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }),
        onDone: { target: 'preparing', actions: 'noteTime' },
      },
    },
    preparing: {
      initial: 'choosing',
      states: {
        choosing: {
          always: [{ guard: 'isCarousel', target: 'carousel' }, { target: 'single' }],
        },
        single: {
          invoke: {
            src: 'container',
            id: 'container',
            input: ({ context }): ContainerInput => {
              const plan = context.plan?.kind === 'single' ? context.plan : undefined;
              return {
                postId: context.postId,
                account: context.account,
                role: 'single',
                params: plan?.params ?? {},
                media: plan?.media ?? 'image',
                unitMs: context.unitMs,
                limits: context.containerLimits,
                existing: context.container,
              };
            },
          },
        },
        carousel: {
          invoke: {
            src: 'carousel',
            id: 'container',
            input: ({ context }): CarouselInput => {
              const plan = context.plan?.kind === 'carousel' ? context.plan : undefined;
              return {
                postId: context.postId,
                account: context.account,
                unitMs: context.unitMs,
                containerLimits: context.containerLimits,
                items: plan?.children ?? [],
                parent: plan?.parent ?? { params: { media_type: 'CAROUSEL' }, media: 'image' },
                existing: context.container === undefined && context.children === undefined ? undefined : { children: context.children ?? [], parent: context.container },
              };
            },
          },
        },
      },
      on: {
        RESTORED: { actions: 'forwardRestored' },
        'xstate.done.actor.container': [
          { guard: and(['containerFinished', 'isScheduled']), target: 'ready', actions: 'recordContainer' },
          { guard: 'containerFinished', target: 'checkingQuota', actions: 'recordContainer' },
          { guard: 'containerPublished', target: 'recovering', actions: 'recordContainer' },
          { target: 'failed', actions: 'recordContainerFailure' },
        ],
      },
    },
    ready: {
      entry: ['waitForPublishAt', 'emitScheduleWait'],
      on: { RESTORED: { actions: 'emitScheduleWait' } },
      invoke: {
        src: 'wait',
        id: 'wait',
        input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }),
        onDone: { target: 'checkingQuota', actions: 'noteTime' },
      },
    },
    checkingQuota: {
      invoke: {
        src: 'checkQuota',
        id: 'checkQuota',
        input: ({ context }) => ({ postId: context.postId, account: context.account, serverSaidFull: context.serverSaidFull }),
        onDone: [
          { guard: 'quotaAllows', target: 'publishing', actions: 'recordQuota' },
          { target: 'waitingQuota', actions: 'recordQuota' },
        ],
        onError: { target: 'waitingQuota', actions: 'retryQuotaLater' },
      },
    },
    publishing: {
      entry: 'startPublish',
      invoke: {
        src: 'publishContainer',
        id: 'publishContainer',
        input: ({ context }) => ({ postId: context.postId, account: context.account, containerId: context.container?.containerId ?? '' }),
        onDone: { target: 'published', actions: 'recordPublished' },
        onError: [
          { guard: 'publishNotReady', target: 'preparing', actions: 'countReprepare' },
          { guard: 'publishOverQuota', target: 'checkingQuota', actions: 'noteServerFull' },
          { guard: 'publishAmbiguous', target: 'verifying', actions: ['recordPublishFailure', 'clearWake'] },
          { guard: 'isAuthFailure', target: 'waitingAuth', actions: 'waitForAuth' },
          { guard: 'publishMayRetry', target: 'retryingPublish', actions: 'recordPublishFailure' },
          { target: 'failed', actions: 'recordPublishFailure' },
        ],
      },
      on: { RESTORED: { target: 'verifying', actions: 'clearWake' } },
    },
    retryingPublish: {
      entry: 'emitBackoff',
      on: { RESTORED: { actions: 'emitBackoff' } },
      invoke: {
        src: 'wait',
        id: 'wait',
        input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }),
        onDone: { target: 'publishing', actions: 'noteTime' },
      },
    },
    waitingQuota: {
      entry: 'emitQuotaWait',
      invoke: {
        src: 'wait',
        id: 'wait',
        input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }),
        onDone: { target: 'checkingQuota', actions: 'noteTime' },
      },
      // contract: a post waiting on the daily quota is re-checked on resume, not slept out
      on: { RESTORED: { target: 'checkingQuota' } },
    },
    waitingAuth: {
      // Instagram refused the token or a permission: nothing was published; a resume with a good token carries on at once.
      entry: 'emitAuthWait',
      invoke: {
        src: 'wait',
        id: 'wait',
        input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }),
        onDone: [
          { guard: 'verifyAfterAuth', target: 'verifying', actions: 'noteTime' },
          { target: 'checkingQuota', actions: 'noteTime' },
        ],
      },
      on: { RESTORED: [{ guard: 'verifyAfterAuth', target: 'verifying', actions: 'clearWake' }, { target: 'checkingQuota' }] },
    },
    verifying: {
      invoke: {
        src: 'verifyPublish',
        id: 'verifyPublish',
        input: ({ context }) => ({
          postId: context.postId,
          account: context.account,
          containerId: context.container?.containerId ?? '',
          attemptAt: context.publishAttemptAt ?? context.lastAt,
          match: context.match ?? { productType: 'FEED' as const, mediaType: 'IMAGE' as const, caption: undefined, exclude: [] },
          wakeAt: context.wakeAt,
          graceMs: VERIFY_GRACE_UNITS * context.unitMs,
        }),
        onDone: [
          { guard: 'verifiedPublished', target: 'published', actions: 'recordVerified' },
          { guard: 'verifiedNotPublished', target: 'checkingQuota', actions: ['noteTime', 'clearFailures'] },
          // an ERROR or EXPIRED container never comes back: a new one is made (a carousel keeps its items); IN_PROGRESS polls on
          { guard: 'repreparesLeft', target: 'preparing', actions: ['noteTime', 'countReprepare', 'forgetDeadContainer'] },
          {
            target: 'failed',
            actions: assign(({ context }) => ({
              error: containerProblem({
                errorClass: 'recreate-container',
                message: `the container was re-made ${context.reprepares} times and never published`,
                remedy: 'Check the media and publish again.',
              }),
            })),
          },
        ],
        onError: [
          { guard: 'isAuthFailure', target: 'waitingAuth', actions: 'waitForAuth' },
          { guard: 'verifyRetriesLeft', target: 'verifying', reenter: true, actions: ['scheduleReverify', 'emitBackoff'] },
          { target: 'failed', actions: 'recordUnverified' },
        ],
      },
    },
    recovering: {
      // The container reads PUBLISHED (a publish of an earlier run went through): the post is live; only its media id is missing.
      invoke: {
        src: 'findMedia',
        id: 'findMedia',
        input: ({ context }) => ({
          postId: context.postId,
          account: context.account,
          match: context.match ?? { productType: 'FEED' as const, mediaType: 'IMAGE' as const, caption: undefined, exclude: [] },
          since: context.container?.createdAt ?? context.lastAt,
        }),
        // findMedia never fails (a live post stays published without its id); a bug would stop the machine, never republish
        onDone: { target: 'published', actions: 'recordFound' },
      },
    },
    published: {
      type: 'final',
      output: ({ context }) => ({ outcome: 'published' as const, mediaId: context.mediaId, containerId: context.container?.containerId ?? '' }),
    },
    failed: {
      type: 'final',
      output: ({ context }) => ({
        outcome: 'failed' as const,
        containerId: context.container?.containerId,
        error: context.error ?? containerProblem({ errorClass: 'unknown', message: 'the post failed', remedy: 'Report it.' }),
      }),
    },
  },
  output: ({ event }) => (event as unknown as { output: PostOutput }).output,
});
