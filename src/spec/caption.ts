import { z } from 'zod';
import { limits } from './limits.js';

const hashtag = /#[\p{L}\p{N}_]/gu;
const mention = /@[A-Za-z0-9._]/g;

function countMatches(text: string, pattern: RegExp): number {
  let count = 0;
  for (const _match of text.matchAll(pattern)) count++;
  return count;
}

/** Number of hashtags in a caption: each `#` directly followed by a letter, digit or underscore. */
export function countHashtags(caption: string): number {
  return countMatches(caption, hashtag);
}

/** Number of @mentions in a caption: each `@` directly followed by `[A-Za-z0-9._]`. */
export function countMentions(caption: string): number {
  return countMatches(caption, mention);
}

/**
 * A post caption (docs/graph-api.md#limits-checked-before-any-request): at most
 * `limits.caption.maxLength` UTF-16 units, `maxHashtags` hashtags and
 * `maxMentions` @mentions. Every broken rule is reported, each with its own message.
 */
export const Caption = z.string({ error: 'caption must be a string' }).superRefine((caption, ctx) => {
  const { maxLength, maxHashtags, maxMentions } = limits.caption;
  if (caption.length > maxLength) {
    ctx.addIssue({
      code: 'too_big',
      origin: 'string',
      maximum: maxLength,
      inclusive: true,
      input: caption,
      message: `caption is ${caption.length} characters (UTF-16 units); the maximum is ${maxLength}`,
    });
  }
  const hashtags = countHashtags(caption);
  if (hashtags > maxHashtags) {
    ctx.addIssue({
      code: 'custom',
      input: caption,
      message: `caption has ${hashtags} hashtags; the maximum is ${maxHashtags}`,
    });
  }
  const mentions = countMentions(caption);
  if (mentions > maxMentions) {
    ctx.addIssue({
      code: 'custom',
      input: caption,
      message: `caption has ${mentions} @mentions; the maximum is ${maxMentions}`,
    });
  }
});

/** A caption accepted by {@link Caption}. */
export type Caption = z.infer<typeof Caption>;
