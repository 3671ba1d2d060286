import { fail, ok, type Answer, type HandlerContext } from './answer.js';
import { mediaFields, unknownMediaField } from './media-fields.js';
import { fieldList, str } from './params.js';
import { simErrors } from './sim-errors.js';

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 100;

function encodeCursor(index: number): string {
  return Buffer.from(`sim:${index}`).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  const match = /^sim:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function seconds(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value * 1000 : undefined;
}

/**
 * `GET /{ig-user-id}/media` (feed, reels, carousels) and `…/stories`
 * (stories only): newest first, with `since` / `until` (unix seconds),
 * `limit` (default 25, at most 100) and cursor paging (`after`).
 */
export function handleMediaList(ctx: HandlerContext): Answer {
  const { world, account, params, route } = ctx;
  const fields = fieldList(params, ['id']);
  const unknown = unknownMediaField(fields);
  if (unknown !== undefined) return fail(world, simErrors.nonexistingField(unknown, 'IGMedia'));
  const list = route.endpoint === 'stories' ? account.stories : account.feed;
  const since = seconds(str(params, 'since')) ?? -Infinity;
  const until = seconds(str(params, 'until')) ?? Infinity;
  const limitText = Number(str(params, 'limit') ?? DEFAULT_LIMIT);
  const limit = Math.min(MAX_LIMIT, Math.max(1, Number.isFinite(limitText) ? Math.floor(limitText) : DEFAULT_LIMIT));
  const after = str(params, 'after');
  const afterIndex = after === undefined ? undefined : decodeCursor(after);
  if (after !== undefined && afterIndex === undefined) return fail(world, simErrors.invalidParam('the after cursor is not valid'));

  const data: Record<string, unknown>[] = [];
  let first: number | undefined;
  let last: number | undefined;
  let more = false;
  for (let i = Math.min(list.length, afterIndex ?? list.length) - 1; i >= 0; i -= 1) {
    const media = list[i];
    if (media === undefined) continue;
    if (media.at < since) break;
    if (media.at > until) continue;
    if (data.length === limit) {
      more = true;
      break;
    }
    data.push(mediaFields(media, account, fields));
    first ??= i;
    last = i;
  }
  if (first === undefined || last === undefined) return ok({ data, paging: { cursors: {} } });
  const paging: Record<string, unknown> = { cursors: { before: encodeCursor(first), after: encodeCursor(last) } };
  if (more) {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (typeof value === 'string') next.set(key, value);
    next.set('after', encodeCursor(last));
    paging['next'] = `${ctx.baseUrl}${ctx.route.version === undefined ? '' : `/${ctx.route.version}`}/${account.igUserId}/${route.endpoint}?${next.toString()}`;
  }
  return ok({ data, paging });
}
