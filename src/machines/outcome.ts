import { z } from 'zod';
import { ErrorJsonSchema } from '../graph/igflow-error.js';

/** One story of a sequence that is live: its place in the sequence (0-based), its media and its container. */
export const LiveStory = z.object({ index: z.number().int().nonnegative(), mediaId: z.string().nullable(), containerId: z.string() });
/** See {@link LiveStory}. */
export type LiveStory = z.infer<typeof LiveStory>;

/**
 * How a post ended: the one shape the machines output, the store keeps as
 * the result and the events report. `published`: live on Instagram
 * (`mediaId` null when it is live but its id could not be recovered);
 * `cancelled`: stopped before its publish by a cancel;
 * `failed`: for good, with the error and its remedy. For a sequence of
 * stories, `stories` lists the ones that went live.
 */
export const PostOutcome = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('published'),
    mediaId: z.string().nullable(),
    containerId: z.string(),
    stories: z.array(LiveStory).optional(),
    /** The first comment's id, when the spec had one and it was posted (docs/design.md#the-first-comment). */
    commentId: z.string().optional(),
  }),
  z.object({ outcome: z.literal('failed'), error: ErrorJsonSchema, containerId: z.string().optional(), stories: z.array(LiveStory).optional() }),
  /** Cancelled before any `media_publish` was sent (engine.cancel, `igflow cancel`) at `at` (epoch ms): never published; its containers are left to expire. */
  z.object({ outcome: z.literal('cancelled'), at: z.number() }),
]);
/** See {@link PostOutcome}. */
export type PostOutcome = z.infer<typeof PostOutcome>;

/**
 * What a post machine ends with in this process: its outcome, or
 * `interrupted` when this engine lost the post (its lease passed to another
 * worker): nothing is stored then, the new holder carries on.
 */
export type MachineOutcome = PostOutcome | { readonly outcome: 'interrupted'; readonly reason: string };
