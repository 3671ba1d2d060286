import { z } from 'zod';
import { limits } from './limits.js';

/** How {@link boundedArray} words and bounds its count rule. */
export interface ArrayBounds {
  /** Fewest items allowed (default 0). */
  readonly min?: number;
  /** Most items allowed. */
  readonly max: number;
  /** The message for a count outside `min..max`, given the actual count. */
  readonly message: (count: number) => string;
}

/**
 * An array whose count rule is reported together with the problems of its
 * items (zod's own `.max()` stops before parsing the items). Arrays longer than
 * `max(bounds.max, limits.validation.maxInspectedItems)` are rejected without inspecting
 * the items one by one, so a runaway input cannot flood the report.
 */
export function boundedArray<T extends z.ZodType>(item: T, bounds: ArrayBounds) {
  const inspectUpTo = Math.max(bounds.max, limits.validation.maxInspectedItems);
  return z
    .array(item, { error: 'must be an array' })
    .max(inspectUpTo, { error: (issue) => bounds.message(Array.isArray(issue.input) ? issue.input.length : NaN) })
    .superRefine(
      (items, ctx) => {
        const count = items.length;
        if (count < (bounds.min ?? 0) || count > bounds.max) {
          ctx.addIssue({ code: 'custom', input: items, message: bounds.message(count) });
        }
      },
      { when: (payload) => Array.isArray(payload.value) },
    );
}
