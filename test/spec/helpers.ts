import type { SpecIssue } from '../../src/spec/issues.js';
import type { PostSpec } from '../../src/spec/post-spec.js';
import type { ValidateOptions } from '../../src/spec/validate.js';
import { validatePostSpec } from '../../src/spec/validate.js';

/** The issues of a spec that must be rejected; fails the test if it was accepted. */
export function issuesOf(input: unknown, options?: ValidateOptions): SpecIssue[] {
  const result = validatePostSpec(input, options);
  if (result.ok) throw new Error(`expected a rejection, but the spec was accepted: ${JSON.stringify(result.spec)}`);
  return result.issues;
}

/** The parsed spec of an input that must be accepted; fails the test with the issues otherwise. */
export function accepted(input: unknown, options?: ValidateOptions): PostSpec {
  const result = validatePostSpec(input, options);
  if (!result.ok) throw new Error(`expected acceptance, got: ${JSON.stringify(result.issues)}`);
  return result.spec;
}

/** A valid https media URL. */
export const img = (n: number | string = 1): string => `https://cdn.example/${n}.jpg`;
/** A valid https video URL. */
export const vid = (n: number | string = 1): string => `https://cdn.example/${n}.mp4`;

/** `n` carousel items, alternating image and video. */
export const carouselItems = (n: number): ({ imageUrl: string } | { videoUrl: string })[] =>
  Array.from({ length: n }, (_, i) => (i % 2 === 0 ? { imageUrl: img(i) } : { videoUrl: vid(i) }));
