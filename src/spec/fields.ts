import { z } from 'zod';
import { boundedArray } from './bounded-array.js';
import { limits } from './limits.js';
import { Username } from './username.js';

const digits = /^[0-9]+$/;

/** Alternative text for an image: at most `limits.altText.maxLength` UTF-16 units (docs/graph-api.md#limits-checked-before-any-request). */
export const AltText = z
  .string({ error: 'altText must be a string' })
  .max(limits.altText.maxLength, {
    error: (issue) =>
      `altText is ${typeof issue.input === 'string' ? issue.input.length : '?'} characters; the maximum is ${limits.altText.maxLength}`,
  });
/** Alternative text accepted by {@link AltText}. */
export type AltText = z.infer<typeof AltText>;

/** A location: the ID of a Facebook Page with location data, checked for shape only (digits; docs/graph-api.md#limits-checked-before-any-request). */
export const LocationId = z
  .string({ error: 'locationId must be a string of digits' })
  .regex(digits, { error: 'locationId must be a string of digits (a Facebook Page ID)' });
/** A location ID accepted by {@link LocationId}. */
export type LocationId = z.infer<typeof LocationId>;

/** A trial reel's graduation rule (docs/graph-api.md#limits-checked-before-any-request). */
export const TrialParams = z.strictObject({
  graduationStrategy: z.enum(['MANUAL', 'SS_PERFORMANCE'], {
    error: 'graduationStrategy must be "MANUAL" or "SS_PERFORMANCE"',
  }),
});
/** Trial-reel parameters accepted by {@link TrialParams}. */
export type TrialParams = z.infer<typeof TrialParams>;

/** The cover frame of a video, in whole milliseconds from the start, ≥ 0 (docs/graph-api.md#limits-checked-before-any-request). */
export const ThumbOffsetMs = z
  .int({ error: 'thumbOffsetMs must be a whole number of milliseconds' })
  .min(limits.thumbOffsetMs.min, { error: `thumbOffsetMs must be ≥ ${limits.thumbOffsetMs.min}` })
  .transform((n) => (Object.is(n, -0) ? 0 : n));
/** A thumbnail offset accepted by {@link ThumbOffsetMs}. */
export type ThumbOffsetMs = z.infer<typeof ThumbOffsetMs>;

/** The caller's idempotency key (`id`): a non-empty string of at most `limits.idempotencyKey.maxLength` characters. */
export const IdempotencyKey = z
  .string({ error: 'id must be a string' })
  .min(1, { error: 'id must not be empty' })
  .max(limits.idempotencyKey.maxLength, {
    error: `id must be at most ${limits.idempotencyKey.maxLength} characters`,
  });
/** An idempotency key accepted by {@link IdempotencyKey}. */
export type IdempotencyKey = z.infer<typeof IdempotencyKey>;

/** When to publish: an ISO-8601 date-time with seconds and a `Z` or `±hh:mm` offset, e.g. `2026-05-01T09:00:00+02:00`. */
export const PublishAt = z.iso.datetime({
  offset: true,
  error: 'publishAt must be an ISO-8601 date-time with seconds and an offset, e.g. 2026-05-01T09:00:00Z',
});
/** A publish time accepted by {@link PublishAt}. */
export type PublishAt = z.infer<typeof PublishAt>;

/** Collaborators of a feed image, reel or carousel: at most `limits.collaborators.maxCount` handles (docs/graph-api.md#limits-checked-before-any-request). */
export const Collaborators = boundedArray(Username, {
  max: limits.collaborators.maxCount,
  message: (count) => `${count} collaborators is too many; the maximum is ${limits.collaborators.maxCount}`,
});
/** Collaborators accepted by {@link Collaborators}. */
export type Collaborators = z.infer<typeof Collaborators>;

/** Branded-content sponsors: at most `limits.brandedContentSponsorIds.maxCount` IG user IDs as digit strings (docs/graph-api.md#limits-checked-before-any-request). */
export const BrandedContentSponsorIds = boundedArray(
  z.string({ error: 'a sponsor id must be a string of digits' }).regex(digits, {
    error: 'a sponsor id must be a string of digits (an IG user ID)',
  }),
  {
    max: limits.brandedContentSponsorIds.maxCount,
    message: (count) =>
      `${count} sponsor ids is too many; the maximum is ${limits.brandedContentSponsorIds.maxCount}`,
  },
);
/** Sponsor IDs accepted by {@link BrandedContentSponsorIds}. */
export type BrandedContentSponsorIds = z.infer<typeof BrandedContentSponsorIds>;
