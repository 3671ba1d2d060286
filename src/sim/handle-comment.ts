import { fail, ok, type Answer, type HandlerContext } from './answer.js';
import { fieldList, str } from './params.js';
import type { CommentRecord } from './record.js';
import { simErrors } from './sim-errors.js';
import { graphTimestamp } from './timestamp.js';

/** IG Comment fields the simulator answers ([CM], docs/graph-api.md#first-comment). */
const COMMENT_FIELDS = new Set(['id', 'text', 'username', 'timestamp', 'like_count', 'hidden']);
const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 50;

const cursorOf = (index: number) => Buffer.from(`cm:${index}`).toString('base64url');
const indexOf = (cursor: string): number | undefined => {
  const match = /^cm:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match?.[1] === undefined ? undefined : Number(match[1]);
};

/**
 * `POST /{ig-media-id}/comments` with `message` (docs/graph-api.md#first-comment):
 * comments as the token's account on its own published media; answers
 * `{ id }`. Not idempotent: a second call makes a second comment.
 */
export function handleComment(ctx: HandlerContext): Answer {
  const { world, account, now, record, seq } = ctx;
  const mediaId = ctx.route.id ?? '';
  const media = world.media.get(mediaId);
  if (media === undefined) return fail(world, simErrors.noSuchObject('POST', mediaId));
  const message = str(ctx.params, 'message');
  if (message === undefined || message.trim() === '') return fail(world, simErrors.missingParam('message'));
  const comment: CommentRecord = { id: world.ids.commentId(), mediaId, account: account.igUserId, username: account.username, text: message, at: now, timestamp: graphTimestamp(now), requestSeq: seq };
  const list = world.comments.get(mediaId) ?? [];
  list.push(comment);
  world.comments.set(mediaId, list);
  record.comments.push(comment);
  return ok({ id: comment.id });
}

/**
 * `GET /{ig-media-id}/comments` (docs/graph-api.md#first-comment): the media's
 * comments, oldest first, `limit` (default 25, at most 50) and cursor
 * paging (`after`, with `paging.next` while more remain).
 */
export function handleCommentList(ctx: HandlerContext): Answer {
  const { world, params } = ctx;
  const mediaId = ctx.route.id ?? '';
  if (!world.media.has(mediaId)) return fail(world, simErrors.noSuchObject('GET', mediaId));
  const fields = fieldList(params, ['id', 'text', 'timestamp']);
  const unknown = fields.find((field) => !COMMENT_FIELDS.has(field));
  if (unknown !== undefined) return fail(world, simErrors.nonexistingField(unknown, 'IGComment'));
  const limitText = Number(str(params, 'limit') ?? DEFAULT_LIMIT);
  const limit = Math.min(MAX_LIMIT, Math.max(1, Number.isFinite(limitText) ? Math.floor(limitText) : DEFAULT_LIMIT));
  const after = str(params, 'after');
  const from = after === undefined ? 0 : indexOf(after);
  if (from === undefined) return fail(world, simErrors.invalidParam('the after cursor is not valid'));
  const all = world.comments.get(mediaId) ?? [];
  const page = all.slice(from, from + limit);
  const data = page.map((comment) => {
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      if (field === 'id') out.id = comment.id;
      else if (field === 'text') out.text = comment.text;
      else if (field === 'username') out.username = comment.username;
      else if (field === 'timestamp') out.timestamp = comment.timestamp;
      else if (field === 'like_count') out.like_count = 0;
      else if (field === 'hidden') out.hidden = false;
    }
    if (!('id' in out)) out.id = comment.id;
    return out;
  });
  if (page.length === 0) return ok({ data, paging: { cursors: {} } });
  const end = from + page.length;
  const paging: Record<string, unknown> = { cursors: { before: cursorOf(from), after: cursorOf(end) } };
  if (end < all.length) {
    const next = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (typeof value === 'string') next.set(key, value);
    next.set('after', cursorOf(end));
    paging.next = `${ctx.baseUrl}${ctx.route.version === undefined ? '' : `/${ctx.route.version}`}/${mediaId}/comments?${next.toString()}`;
  }
  return ok({ data, paging });
}
