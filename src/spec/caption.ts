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
 * A text under a caption's limits (docs/graph-api.md#limits-checked-before-any-request):
 * at most `limits.caption.maxLength` UTF-16 units, `maxHashtags` hashtags and
 * `maxMentions` @mentions. Every broken rule is reported, each with its own
 * message naming the field (`caption`, `firstComment`).
 */
function limitedText(field: string) {
  return z.string({ error: `${field} must be a string` }).superRefine((text, ctx) => {
    const { maxLength, maxHashtags, maxMentions } = limits.caption;
    if (text.length > maxLength) {
      ctx.addIssue({
        code: 'too_big',
        origin: 'string',
        maximum: maxLength,
        inclusive: true,
        input: text,
        message: `${field} is ${text.length} characters (UTF-16 units); the maximum is ${maxLength}`,
      });
    }
    const hashtags = countHashtags(text);
    if (hashtags > maxHashtags) ctx.addIssue({ code: 'custom', input: text, message: `${field} has ${hashtags} hashtags; the maximum is ${maxHashtags}` });
    const mentions = countMentions(text);
    if (mentions > maxMentions) ctx.addIssue({ code: 'custom', input: text, message: `${field} has ${mentions} @mentions; the maximum is ${maxMentions}` });
  });
}

/** A post caption, under the limits of {@link limitedText}. */
export const Caption = limitedText('caption');

/** A caption accepted by {@link Caption}. */
export type Caption = z.infer<typeof Caption>;

/**
 * The first comment igflow posts on the published media (image, reel,
 * carousel): the same limits as a caption, and not blank (Meta requires a
 * `message`, docs/graph-api.md#first-comment).
 */
export const FirstComment = limitedText('firstComment').refine((text) => text.trim() !== '', { message: 'firstComment must not be blank' });
/** A first comment accepted by {@link FirstComment}. */
export type FirstComment = z.infer<typeof FirstComment>;
