import { formatPath, type SpecIssue } from './issues.js';

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The fields of a spec that only Facebook Login can publish and that the
 * schema itself accepts, with what to do instead: `videoFile` needs Meta's
 * resumable upload, which Instagram Login does not offer
 * (docs/graph-api.md#the-two-logins, docs/graph-api.md#resumable-upload).
 * Looks at the spec itself and at each of its `items`, whatever else is
 * wrong with them.
 */
export function facebookOnlyIssues(input: unknown): SpecIssue[] {
  if (!isRecord(input)) return [];
  const places: Array<{ readonly path: readonly (string | number)[]; readonly value: unknown }> = [{ path: [], value: input }];
  if (Array.isArray(input.items)) input.items.forEach((item, i) => places.push({ path: ['items', i], value: item }));
  return places
    .filter(({ value }) => isRecord(value) && value.videoFile !== undefined)
    .map(({ path }) => ({
      path: formatPath([...path, 'videoFile']),
      message: 'videoFile needs Facebook Login (--login facebook): Instagram Login has no resumable upload; give videoUrl, a public https URL, instead',
    }));
}
