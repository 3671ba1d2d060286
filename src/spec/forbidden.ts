import { z } from 'zod';

/**
 * A field that is known to be wrong where it appears. Placing it in the object
 * shape (instead of leaving it to the strict object's "unknown field") reports
 * `message` at the field's own path, together with every other problem.
 * Absent (or `undefined`) passes.
 */
export function forbidden(message: string) {
  return z.never({ error: message }).optional();
}
