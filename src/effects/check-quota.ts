import { map, of } from 'rxjs';
import { fromCall } from './from-call.js';
import type { QuotaInput, QuotaOutput } from '../machines/effect-contract.js';
import type { EffectDeps } from './effect-deps.js';
import { effectActor } from './effect-actor.js';

/**
 * `checkQuota`: may this post publish now under the account's daily
 * quota? Without a quota (no `quotaFor` in the deps) every check passes
 * and nothing is sent. It only reads (the ledger, content_publishing_limit)
 * and is safe to repeat, so it does not wait for a checkpoint: the publish
 * that follows does.
 */
export const checkQuota = (deps: EffectDeps) =>
  effectActor<QuotaInput, QuotaOutput>(deps, (input) => {
    const quota = deps.quotaFor?.(input.account);
    if (quota === undefined) return of({ ok: true, wakeAt: undefined, used: 0, total: 0, at: deps.clock.now() });
    return fromCall(() => quota.check(input.postId, input.serverSaidFull)).pipe(
      map((decision) => ({ ok: decision.ok, wakeAt: decision.ok ? undefined : decision.wakeAt, used: decision.used, total: decision.total, at: deps.clock.now() })),
    );
  }, { checkpoint: false });
