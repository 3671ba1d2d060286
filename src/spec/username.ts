import { z } from 'zod';
import { limits } from './limits.js';

const handle = /^[A-Za-z0-9._]+$/;

/**
 * An Instagram handle: letters, digits, `.` and `_`, at most
 * `limits.username.maxLength` characters. One leading `@` is stripped, since
 * Meta rejects collaborator handles that keep it
 * (docs/graph-api.md#limits-checked-before-any-request,
 * docs/graph-api.md#pitfalls-seen-in-real-clients).
 */
export const Username = z
  .string({ error: 'username must be a string' })
  .transform((name) => (name.startsWith('@') ? name.slice(1) : name))
  .superRefine((name, ctx) => {
    if (name.length === 0) {
      ctx.addIssue({ code: 'custom', input: name, message: 'username must not be empty' });
      return;
    }
    if (!handle.test(name)) {
      ctx.addIssue({
        code: 'custom',
        input: name,
        message: 'username may contain only letters, digits, "." and "_" (one leading "@" is allowed)',
      });
    }
    if (name.length > limits.username.maxLength) {
      ctx.addIssue({
        code: 'custom',
        input: name,
        message: `username is ${name.length} characters; the maximum is ${limits.username.maxLength}`,
      });
    }
  });

/** A handle accepted by {@link Username}, without its leading `@`. */
export type Username = z.infer<typeof Username>;
