import { fail, ok, quotaTotalOf, type Answer, type HandlerContext } from './answer.js';
import { fieldList, str } from './params.js';
import { simErrors } from './sim-errors.js';

const DAY_S = 86_400;

/**
 * `GET /{ig-user-id}/content_publishing_limit` (docs/graph-api.md#the-publishing-quota): publishes
 * in the moving 24 h window on the sim clock, or since `since` (unix seconds,
 * which must lie within the last 24 h; code 100 by choice otherwise).
 */
export function handleLimit(ctx: HandlerContext): Answer {
  const { world, account, now, params } = ctx;
  const fields = fieldList(params, ['quota_usage']);
  const unknown = fields.find((field) => field !== 'quota_usage' && field !== 'config');
  if (unknown !== undefined) return fail(world, simErrors.nonexistingField(unknown, 'ContentPublishingLimit'));
  const total = quotaTotalOf(ctx);
  const sinceText = str(params, 'since');
  let usage: number;
  if (sinceText === undefined || sinceText === '') {
    usage = account.publishes.count(now);
  } else {
    const since = Number(sinceText);
    if (!Number.isFinite(since)) return fail(world, simErrors.invalidParam('since must be a unix timestamp in seconds'));
    if (since * 1000 < now - DAY_S * 1000) return fail(world, simErrors.invalidParam('since must be within the last 24 hours'));
    usage = account.publishes.countSince(since * 1000, now);
  }
  if (ctx.quotaFull) usage = Math.max(usage, total);
  const entry: Record<string, unknown> = {};
  for (const field of fields) {
    if (field === 'quota_usage') entry['quota_usage'] = usage;
    else entry['config'] = { quota_total: total, quota_duration: DAY_S };
  }
  return ok({ data: [entry] });
}
