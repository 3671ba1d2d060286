import { z } from 'zod';
import { BrandedContentSponsorIds, IdempotencyKey, PublishAt } from './fields.js';
import { forbidden } from './forbidden.js';

/** Fields every post spec may carry: the idempotency key `id`, the time `publishAt` (README, *Post specs*) and `checkMedia`. */
export const commonFields = {
  id: IdempotencyKey.optional(),
  publishAt: PublishAt.optional(),
  /** `false` skips igflow's media checks for this post (README, *Media checks*); default: the engine's setting. */
  checkMedia: z.boolean({ error: 'checkMedia must be true or false' }).optional(),
};

/**
 * Branded-content fields, as accepted with Facebook Login
 * (docs/graph-api.md#the-two-logins, docs/graph-api.md#parameters-per-kind,
 * docs/graph-api.md#limits-checked-before-any-request). With Instagram Login
 * they are replaced by {@link instagramLoginBrandedFields}.
 */
export const brandedFields = {
  brandedContentSponsorIds: BrandedContentSponsorIds.optional(),
  isPaidPartnership: z.boolean({ error: 'isPaidPartnership must be true or false' }).optional(),
};

/** The branded-content fields under Instagram Login, where Meta accepts neither (docs/graph-api.md#the-two-logins). */
export const instagramLoginBrandedFields = {
  brandedContentSponsorIds: forbidden(
    'brandedContentSponsorIds need Facebook Login (login: "facebook"); Instagram Login does not accept them',
  ),
  isPaidPartnership: forbidden(
    'isPaidPartnership needs Facebook Login (login: "facebook"); Instagram Login does not accept it',
  ),
};
