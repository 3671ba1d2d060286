import { z } from 'zod';

const printableAscii = /^[\x21-\x7E]*$/;

/**
 * A media URL Meta can fetch: `https:` only, printable US-ASCII only (no
 * spaces; percent-encode the rest), and parseable by the WHATWG URL parser
 * (docs/graph-api.md#limits-checked-before-any-request; [UM] rejects non-ASCII
 * URLs, docs/graph-api.md#request-shape).
 * Each rule reports its own message. The string is kept exactly as given.
 */
export const HttpsUrl = z
  .string({ error: 'must be a URL string' })
  .min(1, { error: 'must not be empty' })
  .refine((s) => printableAscii.test(s), {
    error: 'must contain only printable US-ASCII characters, without spaces (percent-encode the rest)',
  })
  .refine((s) => s.length === 0 || URL.canParse(s), { error: 'is not a parseable URL' })
  .refine((s) => !URL.canParse(s) || new URL(s).protocol === 'https:', { error: 'must use https://' });

/** A media URL accepted by {@link HttpsUrl}. */
export type HttpsUrl = z.infer<typeof HttpsUrl>;
