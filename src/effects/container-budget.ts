import { IgflowError } from '../graph/igflow-error.js';

/** May a post create one more container now under the account's 400 per moving 24 h, and if not, when to try again. */
export type ContainerSlot = { readonly ok: true } | { readonly ok: false; readonly used: number; readonly total: number; readonly wakeAt: number };

/**
 * The account's container budget was used up (docs/graph-api.md#lifetime-and-the-container-cap):
 * igflow did not send the create; the container waits (class `throttled`,
 * `retryAfterMs` until a slot frees) instead of asking for the 401st.
 */
export class ContainerBudgetFull extends IgflowError {
  readonly name = 'ContainerBudgetFull';
  readonly errorClass = 'throttled' as const;
  constructor(
    readonly postId: string,
    readonly account: string,
    readonly used: number,
    readonly total: number,
    retryAfterMs: number,
  ) {
    super(`post ${postId}: account ${account} created ${used} of its ${total} containers in the last 24 h; the next one waits`, {
      remedy: 'Nothing to do: igflow creates the container once the moving 24 h window frees a slot.',
      step: 'create',
      retryAfterMs,
    });
  }
}
