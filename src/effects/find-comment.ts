import { map, switchMap } from 'rxjs';
import type { CommentInput, FindCommentOutput } from '../machines/effect-contract.js';
import type { EffectDeps } from './effect-deps.js';
import { effectActor } from './effect-actor.js';
import { graphCall } from './graph-call.js';
import { isOwnComment, unsupported } from './comment-support.js';

/**
 * `findComment`: reads the media's owner (`GET /{ig-media-id}?fields=username`)
 * and its comments (`GET /{ig-media-id}/comments`, every page), and names
 * the account's own comment with the first comment's text, if there is one
 * (docs/graph-api.md#first-comment). Asked before any second post of the
 * comment, so a comment whose answer was lost is found, never made again.
 * A read: no checkpoint, safe to repeat.
 */
export const findComment = (deps: EffectDeps) =>
  effectActor<CommentInput, FindCommentOutput>(
    deps,
    (input) => {
      const client = deps.graphFor(input.account);
      if (client.mediaOwner === undefined || client.comments === undefined) return unsupported('read comments (no comments method)');
      return graphCall(deps, input.account, 'read', (graph, signal) => graph.mediaOwner!(input.mediaId, { signal })).pipe(
        switchMap((owner) =>
          graphCall(deps, input.account, 'read', (graph, signal) => graph.comments!(input.mediaId, { signal })).pipe(
            map((listed) => ({ commentId: listed.find((c) => isOwnComment(c, owner, input.message))?.id, at: deps.clock.now() })),
          ),
        ),
      );
    },
    { checkpoint: false },
  );
