import type { GraphErrorSpec } from './envelope.js';
import { simErrors } from './sim-errors.js';

/** Caption limits from docs/graph-api.md#limits-checked-before-any-request ([UM], [EC] 2207010 / 2207040). */
export const CAPTION_LIMITS = { maxUtf16: 2200, maxHashtags: 30, maxMentions: 20 } as const;

const HASHTAG = /(^|[^\p{L}\p{N}_&])#[\p{L}\p{N}_]+/gu;
const MENTION = /(^|[^\p{L}\p{N}_.])@[A-Za-z0-9._]+/gu;

/** How many #hashtags a caption has (tokenisation is unverified per docs/graph-api.md#limits-checked-before-any-request; this is one reasonable rule). */
export function countHashtags(caption: string): number {
  return caption.match(HASHTAG)?.length ?? 0;
}

/** How many @mentions a caption has (an email address is not one). */
export function countMentions(caption: string): number {
  return caption.match(MENTION)?.length ?? 0;
}

/**
 * The error a caption earns, if any: over 2200 UTF-16 units or 30 hashtags is
 * 36004 / 2207010; over 20 mentions is 100 / 2207040.
 */
export function captionError(caption: string): GraphErrorSpec | undefined {
  if (caption.length > CAPTION_LIMITS.maxUtf16) {
    return simErrors.captionTooLong(`${caption.length} characters`);
  }
  const hashtags = countHashtags(caption);
  if (hashtags > CAPTION_LIMITS.maxHashtags) return simErrors.captionTooLong(`${hashtags} hashtags`);
  const mentions = countMentions(caption);
  if (mentions > CAPTION_LIMITS.maxMentions) return simErrors.tooManyMentions(mentions);
  return undefined;
}
