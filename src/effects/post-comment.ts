import { defer, map } from 'rxjs';
import type { CommentInput, PostCommentOutput } from '../machines/effect-contract.js';
import type { EffectDeps } from './effect-deps.js';
import { effectActor } from './effect-actor.js';
import { graphCall } from './graph-call.js';

/**
 * `postComment`: one `POST /{ig-media-id}/comments` with the first comment
 * (docs/graph-api.md#first-comment). It changes something on Instagram, so
 * it waits for its checkpoint: a process that dies after it was sent
 * restores a machine that reads the media's comments before posting again.
 * It never retries by itself.
 */
export const postComment = (deps: EffectDeps) =>
  effectActor<CommentInput, PostCommentOutput>(deps, (input) =>
    graphCall(deps, input.account, 'create', (graph, signal) =>
      graph.comment === undefined ? Promise.reject(new Error('this Graph client cannot comment (no comment method)')) : graph.comment(input.mediaId, input.message, { signal }),
    ).pipe(map((commentId) => ({ commentId, at: deps.clock.now() }))),
  );

/** Whether a listed comment is the account's own first comment: the same text (trimmed), by the media's owner. */
export const isOwnComment = (comment: { readonly text: string | undefined; readonly username: string | undefined }, owner: string, message: string): boolean =>
  comment.username === owner && (comment.text ?? '').trim() === message.trim();

/** For the effects that need it: an observable that errors at once (a ready client without the comment methods). */
export const unsupported = (what: string) => defer(() => Promise.reject(new Error(`this Graph client cannot ${what}`)));
