import { and, assign, emit, sendTo, setup } from 'xstate';
import type { ContainerStatus } from '../graph/client.js';
import type { ErrorJson } from '../graph/igflow-error.js';
import type { ContainerPlan } from '../spec/container-plan.js';
import { createCarouselMachine, type CarouselInput } from './carousel-machine.js';
import { createCommentMachine, type CommentMachineInput, type CommentOutcome } from './comment-machine.js';
import { createContainerMachine, type ContainerInput, type ContainerLimits, type ContainerOutput, type ContainerRef } from './container-machine.js';
import type {
  EffectScope,
  FindMediaInput,
  FindMediaOutput,
  MediaMatch,
  PublishInput,
  PublishOutput,
  QuotaInput,
  QuotaOutput,
  StatusInput,
  StatusOutput,
  WaitInput,
  WaitOutput,
} from './effect-contract.js';
import { notProvided } from './not-provided.js';
import type { MachineOutcome } from './outcome.js';
import type { MachineEmitted, WaitingEmitted, WaitReason } from './progress.js';
import { asStepFailure, containerProblem } from './step-failure.js';
import { containerUsableAt, defaultTiming, TRANSIENT_BUDGET_MS, type Timing } from './timing.js';

/** Bounds on the post's own retries. */
export interface PostLimits {
  /** Publish requests failing in a row with an error no catalogue row knows; failures in passing are retried for a day instead. */
  readonly publishRetries: number;
  /** Status reads while verifying failing in a row with an unknown error before the post is reported unverified. */
  readonly verifyRetries: number;
  /** Times the container is re-read or re-made because a publish found it not ready or gone. */
  readonly reprepares: number;
}

/** The default {@link PostLimits}. */
export const defaultPostLimits: PostLimits = { publishRetries: 10, verifyRetries: 20, reprepares: 5 };

/** The containers of one post: a single container or a carousel (a sequence of stories runs one post machine per story). */
export type PostPlan = Exclude<ContainerPlan, { kind: 'stories' }>;

/** Input of the post machine: the parsed plan of an image, a reel, a story or a carousel (validated once, at intake). */
export interface PostInput extends EffectScope {
  readonly plan: PostPlan;
  /** How to recognise the post among the account's media, to recover its id. */
  readonly match: MediaMatch;
  /** Nothing is published before this (epoch ms); the container is made ahead of it. */
  readonly publishAt?: number | undefined;
  readonly limits?: Partial<PostLimits> | undefined;
  readonly containerLimits?: Partial<ContainerLimits> | undefined;
  /** For a story of a sequence: its place (0-based), for progress events. */
  readonly story?: number | undefined;
  /** Posted once on the published media (docs/design.md#the-first-comment). */
  readonly firstComment?: string | undefined;
}

/** The post machine's context. */
export interface PostContext extends EffectScope {
  readonly plan: PostPlan;
  readonly match: MediaMatch;
  readonly publishAt: number | undefined;
  readonly story: number | undefined;
  readonly limits: PostLimits;
  readonly containerLimits: Partial<ContainerLimits>;
  /** The container to publish (for a carousel, the parent). */
  readonly container: ContainerRef | undefined;
  /** A carousel's item containers, reused when the parent must be made again. */
  readonly children: readonly (ContainerRef | undefined)[] | undefined;
  readonly mediaId: string | undefined;
  /** The latest time an effect reported: the machines never read a clock. */
  readonly lastAt: number;
  /** When the latest publish request went out, at the earliest. */
  readonly publishAttemptAt: number | undefined;
  /** The durable deadline of the current wait. */
  readonly wakeAt: number | undefined;
  readonly publishFailures: number;
  readonly verifyFailures: number;
  readonly reprepares: number;
  /** When the current run of failed requests began (undefined after a success): retries in passing are bounded by time. */
  readonly failingSince: number | undefined;
  /** After a wait for a new token, verify first (the refused call was a read while verifying) rather than check the quota and publish. */
  readonly verifyAfterAuth: boolean;
  /** While verifying: FINISHED was read once and the grace period has passed. */
  readonly graced: boolean;
  /** Instagram refused the last publish as over the daily limit (2207042): the quota check must not trust an older count. */
  readonly serverSaidFull: boolean;
  /** The account's quota as last checked. */
  readonly quota: { readonly used: number; readonly total: number } | undefined;
  readonly error: ErrorJson | undefined;
  readonly outcome: MachineOutcome | undefined;
  /** The first comment to post once published (undefined: none; absent in snapshots from before it existed). */
  readonly firstComment?: string | undefined;
  /** The first comment's id, once posted. */
  readonly commentId?: string | undefined;
}

type PostEvent =
  | { type: 'xstate.done.actor.container'; output: ContainerOutput }
  | { type: 'xstate.done.actor.publishContainer'; output: PublishOutput }
  | { type: 'xstate.error.actor.publishContainer'; error: unknown }
  | { type: 'xstate.done.actor.readStatus'; output: StatusOutput }
  | { type: 'xstate.error.actor.readStatus'; error: unknown }
  | { type: 'xstate.done.actor.wait'; output: WaitOutput }
  | { type: 'xstate.done.actor.checkQuota'; output: QuotaOutput }
  | { type: 'xstate.error.actor.checkQuota'; error: unknown }
  | { type: 'xstate.done.actor.findMedia'; output: FindMediaOutput }
  | { type: 'xstate.done.actor.comment'; output: CommentOutcome }
  /** Sent by the runner to a new post, in the process that runs it: the machine leaves `accepted`. */
  | { type: 'START' }
  /**
   * Sent by the runner right after restoring a snapshot (a process took the
   * post up): a publish in flight may have gone through, so it is verified;
   * a quota wait is re-checked and a wait for a new token ends at once; the
   * other waits are announced anew.
   */
  | { type: 'RESTORED' }
  /** This process lost the post (its lease went to another worker): it stops here, storing nothing. */
  | { type: 'LEASE_LOST'; reason: string }
  /**
   * Sent by the runner after RESTORED when the stored post goes live at
   * `publishAt` (a reschedule moved it), `at` being now: before the
   * publish, the post waits for the new time, keeping its containers when
   * they will still be alive then, making new ones otherwise. Ignored when
   * the time is the one the machine has.
   */
  | { type: 'RESCHEDULE'; publishAt: number; at: number };

const containerOutcome = (event: PostEvent) => (event.type === 'xstate.done.actor.container' ? event.output : undefined);
const readStatusOf = (event: PostEvent): ContainerStatus['statusCode'] | undefined => (event.type === 'xstate.done.actor.readStatus' ? event.output.status.statusCode : undefined);
const failureOf = (event: PostEvent) => asStepFailure('error' in event ? event.error : undefined);
const atOf = (event: PostEvent): number | undefined => ('output' in event && 'at' in event.output ? event.output.at : undefined);
const mediaIdOf = (event: PostEvent): string | undefined =>
  event.type === 'xstate.done.actor.publishContainer' || event.type === 'xstate.done.actor.findMedia' ? event.output.mediaId : undefined;
const planMedia = (plan: PostPlan) => (plan.kind === 'carousel' ? plan.parent.media : plan.media);
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
 * Builds the post machine on a {@link Timing}. One post's lifecycle:
 * scheduled (until its container is due) → preparing (a container, or a
 * carousel) → ready (until publishAt) → checkingQuota (waitingQuota while
 * the daily quota is used up) → publishing → verifying (after an ambiguous
 * publish) → published | failed; a container found already PUBLISHED goes
 * through recovering (find the media id) to published, never to another
 * publish. media_publish is never blindly retried
 * (docs/graph-api.md#the-publish-boundary): an answer that may hide a
 * publish, or a restore while a publish was in flight, leads to
 * `verifying`, which reads the container before anything is sent again.
 * A refused token parks the post in waitingAuth; a lost lease ends it here
 * as `interrupted`. Every wait is a state invoking `wait`.
 */
export function createPostMachine(timing: Timing) {
  return setup({
    types: {
      context: {} as PostContext,
      events: {} as PostEvent,
      input: {} as PostInput,
      output: {} as MachineOutcome,
      emitted: {} as MachineEmitted,
    },
    actors: {
      container: createContainerMachine(timing),
      carousel: createCarouselMachine(timing),
      comment: createCommentMachine(timing),
      publishContainer: notProvided<PublishOutput, PublishInput>('publishContainer'),
      readStatus: notProvided<StatusOutput, StatusInput>('readStatus'),
      checkQuota: notProvided<QuotaOutput, QuotaInput>('checkQuota'),
      findMedia: notProvided<FindMediaOutput, FindMediaInput>('findMedia'),
      wait: notProvided<WaitOutput, WaitInput>('wait'),
    },
    guards: {
      isScheduled: ({ context }) => context.publishAt !== undefined,
      // a first comment needs the media's id: a post live under an id igflow could not recover goes without it
      wantsComment: ({ context, event }) => context.firstComment !== undefined && mediaIdOf(event) !== undefined,
      isCarousel: ({ context }) => context.plan.kind === 'carousel',
      containerFinished: ({ event }) => containerOutcome(event)?.outcome === 'finished',
      containerPublished: ({ event }) => containerOutcome(event)?.outcome === 'published',
      publishNotReady: ({ context, event }) => failureOf(event).error.errorClass === 'not-ready' && context.reprepares < context.limits.reprepares,
      publishOverQuota: ({ event }) => failureOf(event).error.errorClass === 'quota',
      publishAmbiguous: ({ event }) => failureOf(event).error.errorClass === 'ambiguous',
      publishMayRetry: ({ context, event }) => mayRetry(context, failureOf(event), context.publishFailures, context.limits.publishRetries),
      isAuthFailure: ({ event }) => failureOf(event).error.errorClass === 'auth',
      verifyAfterAuth: ({ context }) => context.verifyAfterAuth,
      quotaAllows: ({ event }) => event.type === 'xstate.done.actor.checkQuota' && event.output.ok,
      // a wait (the quota, a token, a crash) may have outlasted the container: a dead one is never published
      containerOutlived: ({ context, event }) => event.type === 'xstate.done.actor.checkQuota' && context.container !== undefined && !containerUsableAt(context.container.createdAt, event.output.at),
      readPublished: ({ event }) => readStatusOf(event) === 'PUBLISHED',
      readFinished: ({ event }) => readStatusOf(event) === 'FINISHED',
      graced: ({ context }) => context.graced,
      repreparesLeft: ({ context }) => context.reprepares < context.limits.reprepares,
      verifyRetriesLeft: ({ context, event }) => mayRetry(context, failureOf(event), context.verifyFailures, context.limits.verifyRetries),
      isNewTime: ({ context, event }) => event.type === 'RESCHEDULE' && event.publishAt !== context.publishAt,
      // the container to publish will still be alive at the new time: it is kept (docs/design.md#reschedule)
      containerLivesAtNewTime: ({ context, event }) => event.type === 'RESCHEDULE' && context.container !== undefined && containerUsableAt(context.container.createdAt, event.publishAt),
      // containers being made now would be dead at the new time: made later instead
      preparedTooEarly: ({ event }) => event.type === 'RESCHEDULE' && !containerUsableAt(event.at, event.publishAt),
    },
    actions: {
      announce: emit(({ context }, params: { state: string }) => ({ type: 'state' as const, state: params.state, story: context.story })),
      emitScheduleWait: emit(({ context }) => waiting(context, 'schedule')),
      emitBackoff: emit(({ context }) => waiting(context, 'backoff')),
      emitQuotaWait: emit(({ context }) => waiting(context, 'quota')),
      emitAuthWait: emit(({ context }) => waiting(context, 'auth')),
      emitGraceWait: emit(({ context }) => waiting(context, 'verification')),
      forwardRestored: sendTo('container', { type: 'RESTORED' }),
      forwardRestoredToComment: sendTo('comment', { type: 'RESTORED' }),
      recordComment: assign(({ event }) => (event.type === 'xstate.done.actor.comment' && event.output.outcome === 'posted' ? { commentId: event.output.commentId } : {})),
      scheduleContainer: assign(({ context }) => ({ wakeAt: (context.publishAt ?? 0) - timing.leadMs(planMedia(context.plan)) })),
      waitForPublishAt: assign(({ context }) => ({ wakeAt: context.publishAt ?? 0 })),
      noteTime: assign(({ context, event }) => ({ lastAt: Math.max(context.lastAt, atOf(event) ?? 0) })),
      recordContainer: assign(({ event }) => {
        const outcome = containerOutcome(event);
        // runs only behind the containerFinished / containerPublished guards
        if (outcome === undefined || !('createdAt' in outcome)) return {};
        return { container: { containerId: outcome.containerId, createdAt: outcome.createdAt }, children: outcome.children, lastAt: outcome.createdAt };
      }),
      recordContainerFailure: assign(({ event }) => {
        const outcome = containerOutcome(event);
        return {
          error: outcome?.outcome === 'failed' ? outcome.error : containerProblem({ errorClass: 'unknown', message: 'the container could not be prepared', remedy: 'Report it.' }),
        };
      }),
      startPublish: assign(({ context }) => ({ publishAttemptAt: context.lastAt })),
      recordPublished: assign(({ event }) => (event.type === 'xstate.done.actor.publishContainer' ? { mediaId: event.output.mediaId, lastAt: event.output.at, failingSince: undefined } : {})),
      recordPublishFailure: assign(({ context, event }) => {
        const { error, at } = failureOf(event);
        const publishFailures = context.publishFailures + 1;
        return { error, lastAt: Math.max(context.lastAt, at), publishFailures, failingSince: context.failingSince ?? at, wakeAt: at + timing.retryDelayMs(publishFailures, error.retryAfterMs) };
      }),
      waitForAuth: assign(({ context, event }) => {
        const { error, at } = failureOf(event);
        return { error, lastAt: Math.max(context.lastAt, at), verifyAfterAuth: event.type === 'xstate.error.actor.readStatus', wakeAt: at + timing.authRetryMs };
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
        return { error, lastAt: Math.max(context.lastAt, at), wakeAt: at + timing.retryDelayMs(1, error.retryAfterMs) };
      }),
      startVerify: assign({ graced: false }),
      scheduleGrace: assign(({ context, event }) => {
        const at = atOf(event) ?? context.lastAt;
        return { lastAt: Math.max(context.lastAt, at), wakeAt: at + timing.verifyGraceMs };
      }),
      markGraced: assign({ graced: true }),
      recordFound: assign(({ context, event }) => (event.type === 'xstate.done.actor.findMedia' ? { mediaId: event.output.mediaId, lastAt: Math.max(context.lastAt, event.output.at) } : {})),
      scheduleReverify: assign(({ context, event }) => {
        const { error, at } = failureOf(event);
        const verifyFailures = context.verifyFailures + 1;
        return { error, verifyFailures, failingSince: context.failingSince ?? at, lastAt: Math.max(context.lastAt, at), wakeAt: at + timing.retryDelayMs(verifyFailures, error.retryAfterMs) };
      }),
      recordUnverified: assign(({ event }) => ({
        error: {
          ...failureOf(event).error,
          message: `could not verify whether the post was published: ${failureOf(event).error.message}`,
          remedy: 'The post may be live: check the account before publishing it again.',
        },
      })),
      recordTooManyReprepares: assign(({ context }) => ({
        error: containerProblem({
          errorClass: 'recreate-container',
          message: `the container was re-made ${context.reprepares} times and never published`,
          remedy: 'Check the media and publish again.',
        }),
      })),
      countReprepare: assign(({ context }) => ({ reprepares: context.reprepares + 1, publishFailures: 0, wakeAt: undefined })),
      // an ERROR or EXPIRED container never comes back: a new one is made (a carousel keeps its items); IN_PROGRESS polls on
      forgetDeadContainer: assign(({ context, event }) => {
        const status = readStatusOf(event);
        return { container: status === 'EXPIRED' || status === 'ERROR' ? undefined : context.container };
      }),
      // the parent (or single) container outlived its use; a carousel keeps the items that still live, re-read before reuse
      forgetOutlivedContainers: assign(({ context, event }) => {
        const at = event.type === 'xstate.done.actor.checkQuota' ? event.output.at : context.lastAt;
        return { container: undefined, children: context.children?.map((child) => (child !== undefined && containerUsableAt(child.createdAt, at) ? child : undefined)), wakeAt: undefined };
      }),
      takeNewTime: assign(({ context, event }) => (event.type === 'RESCHEDULE' ? { publishAt: event.publishAt, lastAt: Math.max(context.lastAt, event.at) } : {})),
      // a reschedule past the containers' life: they are left to expire (Instagram has no delete); a carousel keeps the items alive then
      forgetContainersForNewTime: assign(({ context, event }) => {
        const at = event.type === 'RESCHEDULE' ? event.publishAt : context.lastAt;
        return { container: undefined, children: context.children?.map((child) => (child !== undefined && containerUsableAt(child.createdAt, at) ? child : undefined)), wakeAt: undefined };
      }),
      clearFailures: assign({ failingSince: undefined }),
      clearWake: assign({ wakeAt: undefined }),
      endPublished: assign(({ context }) => ({
        outcome: {
          outcome: 'published' as const,
          mediaId: context.mediaId ?? null,
          containerId: context.container?.containerId ?? '',
          ...(context.commentId === undefined ? {} : { commentId: context.commentId }),
        },
      })),
      endFailed: assign(({ context }) => ({
        outcome: {
          outcome: 'failed' as const,
          containerId: context.container?.containerId,
          error: context.error ?? containerProblem({ errorClass: 'unknown', message: 'the post failed', remedy: 'Report it.' }),
        },
      })),
      endInterrupted: assign(({ event }) => ({ outcome: { outcome: 'interrupted' as const, reason: event.type === 'LEASE_LOST' ? event.reason : 'the lease on this post was lost' } })),
    },
  }).createMachine({
    id: 'post',
    context: ({ input }) => ({
      postId: input.postId,
      account: input.account,
      plan: input.plan,
      match: input.match,
      publishAt: input.publishAt,
      story: input.story,
      firstComment: input.firstComment,
      commentId: undefined,
      limits: { ...defaultPostLimits, ...input.limits },
      containerLimits: input.containerLimits ?? {},
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
      graced: false,
      serverSaidFull: false,
      quota: undefined,
      error: undefined,
      outcome: undefined,
    }),
    // stored, not started: the runner that claims a new post sends START (a story's from the stories machine), so
    // this machine's own announcements come before those of the containers it starts
    initial: 'accepted',
    // whoever holds the post now is another worker: this process stops here and stores nothing
    on: { LEASE_LOST: { target: '.interrupted', actions: 'endInterrupted' } },
    states: {
      accepted: {
        on: { START: [{ guard: 'isScheduled', target: 'scheduled' }, { target: 'preparing' }] },
      },
      scheduled: {
        tags: ['waiting'],
        entry: [{ type: 'announce', params: { state: 'scheduled' } }, 'scheduleContainer', 'emitScheduleWait'],
        // a restored machine does not run entry actions again: the wait is announced anew
        on: { RESTORED: { actions: 'emitScheduleWait' }, RESCHEDULE: { guard: 'isNewTime', target: 'scheduled', reenter: true, actions: 'takeNewTime' } },
        invoke: { src: 'wait', id: 'wait', input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }), onDone: { target: 'preparing', actions: 'noteTime' } },
      },
      preparing: {
        entry: { type: 'announce', params: { state: 'preparing' } },
        initial: 'choosing',
        states: {
          choosing: { always: [{ guard: 'isCarousel', target: 'carousel' }, { target: 'single' }] },
          single: {
            invoke: {
              src: 'container',
              id: 'container',
              input: ({ context }): ContainerInput => {
                const plan = context.plan.kind === 'single' ? context.plan : undefined;
                return {
                  postId: context.postId,
                  account: context.account,
                  role: 'single',
                  params: plan?.params ?? {},
                  media: plan?.media ?? 'image',
                  upload: plan?.upload,
                  limits: context.containerLimits,
                  existing: context.container,
                  story: context.story,
                };
              },
            },
          },
          carousel: {
            invoke: {
              src: 'carousel',
              id: 'container',
              input: ({ context }): CarouselInput => {
                const plan = context.plan.kind === 'carousel' ? context.plan : undefined;
                return {
                  postId: context.postId,
                  account: context.account,
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
          RESCHEDULE: [
            { guard: and(['isNewTime', 'preparedTooEarly']), target: 'scheduled', actions: ['takeNewTime', 'forgetContainersForNewTime'] },
            { guard: 'isNewTime', actions: 'takeNewTime' },
          ],
          'xstate.done.actor.container': [
            { guard: and(['containerFinished', 'isScheduled']), target: 'ready', actions: 'recordContainer' },
            { guard: 'containerFinished', target: 'checkingQuota', actions: 'recordContainer' },
            { guard: 'containerPublished', target: 'recovering', actions: 'recordContainer' },
            { target: 'failed', actions: 'recordContainerFailure' },
          ],
        },
      },
      ready: {
        tags: ['waiting'],
        entry: [{ type: 'announce', params: { state: 'ready' } }, 'waitForPublishAt', 'emitScheduleWait'],
        on: {
          RESTORED: { actions: 'emitScheduleWait' },
          RESCHEDULE: [
            { guard: and(['isNewTime', 'containerLivesAtNewTime']), target: 'ready', reenter: true, actions: 'takeNewTime' },
            { guard: 'isNewTime', target: 'scheduled', actions: ['takeNewTime', 'forgetContainersForNewTime'] },
          ],
        },
        invoke: { src: 'wait', id: 'wait', input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }), onDone: { target: 'checkingQuota', actions: 'noteTime' } },
      },
      checkingQuota: {
        entry: { type: 'announce', params: { state: 'checkingQuota' } },
        invoke: {
          src: 'checkQuota',
          id: 'checkQuota',
          input: ({ context }) => ({ postId: context.postId, account: context.account, serverSaidFull: context.serverSaidFull }),
          onDone: [
            { guard: and(['quotaAllows', 'containerOutlived']), target: 'preparing', actions: ['recordQuota', 'forgetOutlivedContainers'] },
            { guard: 'quotaAllows', target: 'publishing', actions: 'recordQuota' },
            { target: 'waitingQuota', actions: 'recordQuota' },
          ],
          onError: { target: 'waitingQuota', actions: 'retryQuotaLater' },
        },
        on: {
          RESCHEDULE: [
            { guard: and(['isNewTime', 'containerLivesAtNewTime']), target: 'ready', reenter: true, actions: 'takeNewTime' },
            { guard: 'isNewTime', target: 'scheduled', actions: ['takeNewTime', 'forgetContainersForNewTime'] },
          ],
        },
      },
      waitingQuota: {
        tags: ['waiting'],
        entry: [{ type: 'announce', params: { state: 'waitingQuota' } }, 'emitQuotaWait'],
        invoke: { src: 'wait', id: 'wait', input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }), onDone: { target: 'checkingQuota', actions: 'noteTime' } },
        // contract: a post waiting on the daily quota is re-checked on resume, not slept out
        on: {
          RESTORED: { target: 'checkingQuota' },
          RESCHEDULE: [
            { guard: and(['isNewTime', 'containerLivesAtNewTime']), target: 'ready', reenter: true, actions: 'takeNewTime' },
            { guard: 'isNewTime', target: 'scheduled', actions: ['takeNewTime', 'forgetContainersForNewTime'] },
          ],
        },
      },
      publishing: {
        entry: [{ type: 'announce', params: { state: 'publishing' } }, 'startPublish'],
        invoke: {
          src: 'publishContainer',
          id: 'publishContainer',
          input: ({ context }) => ({ postId: context.postId, account: context.account, containerId: context.container?.containerId ?? '' }),
          onDone: [
            { guard: 'wantsComment', target: 'commenting', actions: 'recordPublished' },
            { target: 'published', actions: 'recordPublished' },
          ],
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
        tags: ['waiting'],
        entry: [{ type: 'announce', params: { state: 'retryingPublish' } }, 'emitBackoff'],
        on: { RESTORED: { actions: 'emitBackoff' } },
        invoke: { src: 'wait', id: 'wait', input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }), onDone: { target: 'publishing', actions: 'noteTime' } },
      },
      waitingAuth: {
        // Instagram refused the token or a permission: nothing was published; a resume with a good token carries on at once
        tags: ['waiting'],
        entry: [{ type: 'announce', params: { state: 'waitingAuth' } }, 'emitAuthWait'],
        invoke: {
          src: 'wait',
          id: 'wait',
          input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }),
          onDone: [{ guard: 'verifyAfterAuth', target: 'verifying', actions: ['noteTime', 'clearWake'] }, { target: 'checkingQuota', actions: 'noteTime' }],
        },
        on: { RESTORED: [{ guard: 'verifyAfterAuth', target: 'verifying', actions: 'clearWake' }, { target: 'checkingQuota' }] },
      },
      verifying: {
        // a publish may have gone through: the container's status decides, before anything is sent again
        entry: [{ type: 'announce', params: { state: 'verifying' } }, 'startVerify'],
        initial: 'reading',
        states: {
          reading: {
            invoke: {
              src: 'readStatus',
              id: 'readStatus',
              input: ({ context }) => ({ postId: context.postId, account: context.account, containerId: context.container?.containerId ?? '' }),
              onDone: [
                { guard: 'readPublished', target: '#post.recovering', actions: ['noteTime', 'clearFailures'] },
                // FINISHED once may be a publish whose status has not flipped yet: read again after a grace period
                { guard: and(['readFinished', 'graced']), target: '#post.checkingQuota', actions: ['noteTime', 'clearFailures'] },
                { guard: 'readFinished', target: 'grace', actions: 'scheduleGrace' },
                { guard: 'repreparesLeft', target: '#post.preparing', actions: ['noteTime', 'countReprepare', 'forgetDeadContainer'] },
                { target: '#post.failed', actions: 'recordTooManyReprepares' },
              ],
              onError: [
                { guard: 'isAuthFailure', target: '#post.waitingAuth', actions: 'waitForAuth' },
                { guard: 'verifyRetriesLeft', target: 'backingOff', actions: ['scheduleReverify', 'emitBackoff'] },
                { target: '#post.failed', actions: 'recordUnverified' },
              ],
            },
          },
          grace: {
            tags: ['waiting'],
            entry: 'emitGraceWait',
            on: { RESTORED: { actions: 'emitGraceWait' } },
            invoke: { src: 'wait', id: 'wait', input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }), onDone: { target: 'reading', actions: 'markGraced' } },
          },
          backingOff: {
            tags: ['waiting'],
            on: { RESTORED: { actions: 'emitBackoff' } },
            invoke: { src: 'wait', id: 'wait', input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }), onDone: { target: 'reading' } },
          },
        },
      },
      recovering: {
        // the container reads PUBLISHED: the post is live; only its media id is missing (findMedia never fails)
        entry: { type: 'announce', params: { state: 'recovering' } },
        invoke: {
          src: 'findMedia',
          id: 'findMedia',
          input: ({ context }) => ({ postId: context.postId, account: context.account, match: context.match, since: context.publishAttemptAt ?? context.container?.createdAt ?? context.lastAt }),
          onDone: [
            { guard: 'wantsComment', target: 'commenting', actions: 'recordFound' },
            { target: 'published', actions: 'recordFound' },
          ],
        },
      },
      commenting: {
        // the post is live: its first comment is a follow-up of its own, which never fails the post (docs/design.md#the-first-comment)
        entry: { type: 'announce', params: { state: 'commenting' } },
        invoke: {
          src: 'comment',
          id: 'comment',
          input: ({ context }): CommentMachineInput => ({ postId: context.postId, account: context.account, mediaId: context.mediaId ?? '', message: context.firstComment ?? '' }),
          onDone: { target: 'published', actions: 'recordComment' },
        },
        on: { RESTORED: { actions: 'forwardRestoredToComment' } },
      },
      published: { type: 'final', entry: ['endPublished', { type: 'announce', params: { state: 'published' } }] },
      failed: { type: 'final', entry: ['endFailed', { type: 'announce', params: { state: 'failed' } }] },
      interrupted: { type: 'final' },
    },
    output: ({ context }) => context.outcome ?? { outcome: 'interrupted', reason: 'the post machine ended without an outcome' },
  });
}

/** The post machine on the default timing (diagrams, docs, tests that need no engine). */
export const postMachine = createPostMachine(defaultTiming);
