import { map } from 'rxjs';
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
