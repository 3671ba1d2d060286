import { fail, ok, type Answer, type HandlerContext } from './answer.js';
import { str } from './params.js';
import { simErrors } from './sim-errors.js';

const DAY_MS = 86_400_000;
/** A refreshed Instagram Login token lives 60 days ([RT], docs/graph-api.md#token-lifetime). */
export const REFRESHED_LIFETIME_MS = 60 * DAY_MS;

/**
 * `GET /refresh_access_token?grant_type=ig_refresh_token` (docs/graph-api.md#token-lifetime):
 * a long-lived token at least 24 h old and not expired gets a new one,
 * valid 60 days, in `{ access_token, token_type, expires_in }`. The old
 * token stays valid until its own expiry (by choice: Meta does not say).
 * The record keeps when and for whom, never the token.
 */
export function handleRefresh(ctx: HandlerContext): Answer {
  const { world, now, account, record, seq } = ctx;
  if (str(ctx.params, 'grant_type') !== 'ig_refresh_token') return fail(world, simErrors.invalidParam('grant_type must be ig_refresh_token'));
  const info = world.tokenInfo(ctx.token);
  // A token under 24 h old cannot be refreshed; Meta documents no code for it: 100 by choice.
  if (info !== undefined && now - info.issuedAt < DAY_MS) return fail(world, simErrors.invalidParam('the access token must be at least 24 hours old to be refreshed'));
  const token = world.ids.token();
  const expiresAt = now + REFRESHED_LIFETIME_MS;
  world.addToken(token, account, now, expiresAt);
  record.refreshes.push({ account: account.igUserId, at: now, expiresAt, requestSeq: seq });
  return ok({ access_token: token, token_type: 'bearer', expires_in: Math.floor(REFRESHED_LIFETIME_MS / 1000) });
}
