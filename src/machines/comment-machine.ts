import { assign, emit, setup } from 'xstate';
import type { ErrorJson } from '../graph/igflow-error.js';
import type { CommentInput, FindCommentOutput, PostCommentOutput, WaitInput, WaitOutput } from './effect-contract.js';
import { notProvided } from './not-provided.js';
import type { CommentEmitted } from './progress.js';
import { asStepFailure } from './step-failure.js';
import { defaultTiming, type Timing } from './timing.js';

/** Attempts (posts and reads together) before igflow gives the comment up. */
export const COMMENT_ATTEMPTS = 4;
/** The longest wait between attempts: a comment never holds a published post for long (docs/design.md#the-first-comment). */
export const COMMENT_MAX_WAIT_MS = 20_000;

/** Input of the comment machine: the published media and the message to put on it. */
export interface CommentMachineInput extends CommentInput {
  /** Attempts before giving up (default {@link COMMENT_ATTEMPTS}). */
  readonly attempts?: number | undefined;
}

/** How the first comment ended: `posted` with its id, or `failed` (the post is published either way). */
export type CommentOutcome = { readonly outcome: 'posted'; readonly commentId: string } | { readonly outcome: 'failed'; readonly error: ErrorJson };

/** The comment machine's context. */
export interface CommentContext extends CommentInput {
  readonly attempts: number;
  readonly failures: number;
  readonly wakeAt: number | undefined;
  readonly error: ErrorJson | undefined;
  readonly commentId: string | undefined;
}

type CommentEvent =
  | { type: 'xstate.done.actor.postComment'; output: PostCommentOutput }
  | { type: 'xstate.error.actor.postComment'; error: unknown }
  | { type: 'xstate.done.actor.findComment'; output: FindCommentOutput }
  | { type: 'xstate.error.actor.findComment'; error: unknown }
  | { type: 'xstate.done.actor.wait'; output: WaitOutput }
  /** A process took the post up: a comment that was on its way may have been made, so the media's comments are read first. */
  | { type: 'RESTORED' };

const failureOf = (event: CommentEvent) => asStepFailure('error' in event ? event.error : undefined);
const scope = ({ context }: { context: CommentContext }): CommentInput => ({ postId: context.postId, account: context.account, mediaId: context.mediaId, message: context.message });

/**
 * Builds the first-comment machine on a {@link Timing}: `posting` (one
 * `POST /{ig-media-id}/comments`) → `posted`. A failure waits (`backingOff`,
 * at most {@link COMMENT_MAX_WAIT_MS}) and then reads the media's comments
 * (`checking`) before anything is posted again: a comment whose answer was
 * lost is found there, never made twice. A restore while posting reads
 * first too. After {@link COMMENT_ATTEMPTS} failed attempts, or an error no
 * retry can cure (a missing permission, say), it ends `failed`: a comment
 * never fails its post.
 */
export function createCommentMachine(timing: Timing) {
  return setup({
    types: {
      context: {} as CommentContext,
      events: {} as CommentEvent,
      input: {} as CommentMachineInput,
      output: {} as CommentOutcome,
      emitted: {} as CommentEmitted,
    },
    actors: {
      postComment: notProvided<PostCommentOutput, CommentInput>('postComment'),
      findComment: notProvided<FindCommentOutput, CommentInput>('findComment'),
      wait: notProvided<WaitOutput, WaitInput>('wait'),
    },
    guards: {
      found: ({ event }) => event.type === 'xstate.done.actor.findComment' && event.output.commentId !== undefined,
      mayRetry: ({ context, event }) => {
        const { error } = failureOf(event);
        return error.retryable && context.failures + 1 < context.attempts && timing.retryDelayMs(context.failures + 1, error.retryAfterMs) <= COMMENT_MAX_WAIT_MS;
      },
    },
    actions: {
      recordPosted: assign(({ event }) => (event.type === 'xstate.done.actor.postComment' ? { commentId: event.output.commentId } : {})),
      recordFound: assign(({ event }) => (event.type === 'xstate.done.actor.findComment' ? { commentId: event.output.commentId } : {})),
      recordFailure: assign(({ context, event }) => {
        const { error, at } = failureOf(event);
        const failures = context.failures + 1;
        return { error, failures, wakeAt: at + Math.min(timing.retryDelayMs(failures, error.retryAfterMs), COMMENT_MAX_WAIT_MS) };
      }),
      recordGaveUp: assign(({ context, event }) => ({ error: failureOf(event).error, failures: context.failures + 1 })),
      emitPosted: emit(({ context }): CommentEmitted => ({ type: 'comment', outcome: 'posted', mediaId: context.mediaId, commentId: context.commentId })),
      emitFound: emit(({ context }): CommentEmitted => ({ type: 'comment', outcome: 'found', mediaId: context.mediaId, commentId: context.commentId })),
      emitRetrying: emit(({ context }): CommentEmitted => ({ type: 'comment', outcome: 'retrying', mediaId: context.mediaId, error: context.error, until: context.wakeAt })),
      emitGaveUp: emit(({ context }): CommentEmitted => ({ type: 'comment', outcome: 'failed', mediaId: context.mediaId, error: context.error })),
    },
  }).createMachine({
    id: 'comment',
    context: ({ input }) => ({
      postId: input.postId,
      account: input.account,
      mediaId: input.mediaId,
      message: input.message,
      attempts: input.attempts ?? COMMENT_ATTEMPTS,
      failures: 0,
      wakeAt: undefined,
      error: undefined,
      commentId: undefined,
    }),
    initial: 'posting',
    states: {
      posting: {
        invoke: {
          src: 'postComment',
          id: 'postComment',
          input: scope,
          onDone: { target: 'posted', actions: ['recordPosted', 'emitPosted'] },
          onError: [
            { guard: 'mayRetry', target: 'backingOff', actions: ['recordFailure', 'emitRetrying'] },
            { target: 'failed', actions: ['recordGaveUp', 'emitGaveUp'] },
          ],
        },
        // the comment may have been made before the process died: read the media's comments before posting again
        on: { RESTORED: { target: 'checking' } },
      },
      backingOff: {
        tags: ['waiting'],
        invoke: { src: 'wait', id: 'wait', input: ({ context }) => ({ postId: context.postId, wakeAt: context.wakeAt ?? 0 }), onDone: { target: 'checking' } },
      },
      checking: {
        invoke: {
          src: 'findComment',
          id: 'findComment',
          input: scope,
          onDone: [{ guard: 'found', target: 'posted', actions: ['recordFound', 'emitFound'] }, { target: 'posting' }],
          onError: [
            { guard: 'mayRetry', target: 'backingOff', actions: ['recordFailure', 'emitRetrying'] },
            { target: 'failed', actions: ['recordGaveUp', 'emitGaveUp'] },
          ],
        },
      },
      posted: { type: 'final' },
      failed: { type: 'final' },
    },
    output: ({ context }): CommentOutcome =>
      context.commentId !== undefined
        ? { outcome: 'posted', commentId: context.commentId }
        : { outcome: 'failed', error: context.error ?? { name: 'CommentError', errorClass: 'unknown', retryable: false, message: 'the first comment was not posted', remedy: 'Comment by hand.' } },
  });
}

/** The comment machine on the default timing (diagrams, docs). */
export const commentMachine = createCommentMachine(defaultTiming);
