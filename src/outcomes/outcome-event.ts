import { z } from 'zod';
import type { OutboxEntry } from '../adapters/store.js';
import { LiveStory } from '../machines/outcome.js';
import { eventError } from '../engine/projection.js';

/** A failure as outcomes and webhook deliveries show it: the public fields of the typed error (those of `--json`'s `failed`, and its remedy). */
export const OutcomeError = z.object({
  code: z.number().nullable(),
  subcode: z.number().nullable(),
  retryable: z.boolean(),
  message: z.string(),
  errorClass: z.string(),
  remedy: z.string(),
});

const Base = {
  /** The outbox entry it comes from: the same outcome told twice has the same id. */
  outcomeId: z.string(),
  postId: z.string(),
  /** The post's idempotency key (`id` in its spec), or null: what a receiver dedupes on. */
  idempotencyKey: z.string().nullable(),
  /** The IG user id the post is for. */
  account: z.string(),
  /** When the post finished (ISO-8601). */
  at: z.string(),
};

/**
 * How a post ended, as `engine.outcomes$`, `engine.watch()` and every
 * webhook delivery tell it (the body of a delivery is this, as JSON). It
 * never holds a token: it is made of the stored post's id, key, account
 * and result alone.
 */
export const PostOutcomeEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('published'), ...Base, mediaId: z.string().nullable(), containerId: z.string().nullable(), stories: z.array(LiveStory).optional(), commentId: z.string().optional() }),
  z.object({ type: z.literal('failed'), ...Base, error: OutcomeError, stories: z.array(LiveStory).optional() }),
  z.object({ type: z.literal('cancelled'), ...Base }),
]);
/** See {@link PostOutcomeEvent}. */
export type PostOutcomeEvent = z.infer<typeof PostOutcomeEvent>;

/** The outcome event of an outbox entry. */
export function outcomeOfEntry(entry: OutboxEntry): PostOutcomeEvent {
  const base = { outcomeId: entry.id, postId: entry.postId, idempotencyKey: entry.key ?? null, account: entry.account, at: new Date(entry.at).toISOString() };
  const result = entry.result;
  const told = result?.outcome === 'published' || result?.outcome === 'failed' ? result.stories : undefined;
  const stories = told === undefined ? {} : { stories: told };
  const status: string = entry.status;
  if (status === 'published') {
    const published = result?.outcome === 'published' ? result : undefined;
    return {
      type: 'published',
      ...base,
      mediaId: published?.mediaId ?? null,
      containerId: published?.containerId ?? null,
      ...stories,
      ...(published?.commentId === undefined ? {} : { commentId: published.commentId }),
    };
  }
  if (status === 'failed') return { type: 'failed', ...base, error: eventError(result?.outcome === 'failed' ? result.error : undefined), ...stories };
  return { type: 'cancelled', ...base };
}
