import { z } from 'zod';
import { boundedArray } from './bounded-array.js';
import { forbidden } from './forbidden.js';
import { limits } from './limits.js';
import { Username } from './username.js';

function coordinate(axis: 'x' | 'y') {
  const { minCoordinate: min, maxCoordinate: max } = limits.userTags;
  const from = axis === 'x' ? 'left' : 'top';
  return z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? `${axis} is required: ${min}–${max} from the ${from}`
          : `${axis} must be a number from ${min} to ${max}`,
    })
    .min(min, { error: `${axis} must be from ${min} to ${max} (measured from the ${from})` })
    .max(max, { error: `${axis} must be from ${min} to ${max} (measured from the ${from})` })
    .transform((n) => (Object.is(n, -0) ? 0 : n));
}

const tagCount = {
  max: limits.userTags.maxCount,
  message: (count: number) => `${count} user tags is too many; the maximum is ${limits.userTags.maxCount}`,
};

/** A person tagged on an image (feed or carousel image): `x` and `y` are required (docs/graph-api.md#limits-checked-before-any-request). */
export const ImageUserTag = z.strictObject({ username: Username, x: coordinate('x'), y: coordinate('y') });
/** A person tagged on an image. */
export type ImageUserTag = z.infer<typeof ImageUserTag>;

/** A person tagged on a story: `x` and `y` are optional (docs/graph-api.md#parameters-per-kind, docs/graph-api.md#limits-checked-before-any-request). */
export const StoryUserTag = z.strictObject({
  username: Username,
  x: coordinate('x').optional(),
  y: coordinate('y').optional(),
});
/** A person tagged on a story. */
export type StoryUserTag = z.infer<typeof StoryUserTag>;

const reelsTakeUsernamesOnly = 'reels take usernames only: x and y apply to images and stories';

/** A person tagged on a reel: username only; `x`/`y` are errors (docs/graph-api.md#limits-checked-before-any-request). */
export const ReelUserTag = z.strictObject({
  username: Username,
  x: forbidden(reelsTakeUsernamesOnly),
  y: forbidden(reelsTakeUsernamesOnly),
});
/** A person tagged on a reel. */
export type ReelUserTag = z.infer<typeof ReelUserTag>;

/** The `userTags` list of an image or carousel image item. */
export const ImageUserTags = boundedArray(ImageUserTag, tagCount);
/** The `userTags` list of a story. */
export const StoryUserTags = boundedArray(StoryUserTag, tagCount);
/** The `userTags` list of a reel. */
export const ReelUserTags = boundedArray(ReelUserTag, tagCount);
