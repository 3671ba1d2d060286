import { z } from 'zod';
import { CarouselSpec } from './carousel-spec.js';
import { instagramLoginBrandedFields } from './common-fields.js';
import { ImageSpec } from './image-spec.js';
import { checkReelMedia, ReelSpec, reelShape } from './reel-spec.js';
import { isObjectPayload } from './media-choice.js';
import { StoriesSpec, StorySpec } from './story-spec.js';

/** How the account signs in to the Graph API; it decides which optional fields Meta accepts (docs/graph-api.md#the-two-logins). */
export const Login = z.enum(['instagram', 'facebook']);
/** `'instagram'` (Instagram Login, the default) or `'facebook'` (Facebook Login). */
export type Login = z.infer<typeof Login>;

/** The post kinds of the spec format, in contract order. */
export const specKinds = ['image', 'reel', 'story', 'stories', 'carousel'] as const;

const unionErrors = {
  error: (issue: z.core.$ZodRawIssue): string | undefined => {
    if (issue.code === 'invalid_union') return `kind must be one of ${specKinds.map((k) => `"${k}"`).join(', ')}`;
    if (issue.code === 'invalid_type') return 'a post spec must be a JSON object';
    return undefined;
  },
};

function facebookSchema() {
  return z.discriminatedUnion('kind', [ImageSpec, ReelSpec, StorySpec, StoriesSpec, CarouselSpec], unionErrors);
}

function instagramSchema() {
  return z.discriminatedUnion(
    'kind',
    [
      ImageSpec.extend(instagramLoginBrandedFields),
      z.strictObject({ ...reelShape, ...instagramLoginBrandedFields }).superRefine(checkReelMedia, { when: isObjectPayload }),
      StorySpec,
      StoriesSpec,
      CarouselSpec.extend(instagramLoginBrandedFields),
    ],
    unionErrors,
  );
}

/**
 * Any post spec, discriminated on `kind`: the full format, including the
 * Facebook-Login-only branded-content fields (`brandedContentSponsorIds`,
 * `isPaidPartnership`), which are absent from specs valid under Instagram Login.
 */
export type PostSpec = z.infer<ReturnType<typeof facebookSchema>>;

/** The kind of a post spec. */
export type SpecKind = PostSpec['kind'];

const memo: Partial<Record<Login, z.ZodType<PostSpec>>> = {};

/**
 * The post-spec schema for a login (built once per login). Under
 * `'instagram'`, `brandedContentSponsorIds` and `isPaidPartnership` are errors;
 * under `'facebook'` they are validated. Prefer `validatePostSpec`, which also
 * flattens the issues and never throws.
 */
export function postSpecSchema(login: Login): z.ZodType<PostSpec> {
  return (memo[login] ??= login === 'facebook' ? facebookSchema() : instagramSchema());
}
