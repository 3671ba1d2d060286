/** C0 and C1 control characters, DEL, and the Unicode line separators and bidi controls a terminal acts on. */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` quoted for a message a human reads on a terminal: in double quotes
 * like a JSON string, with every control character (C0, DEL, C1 such as the
 * 8-bit CSI) and every bidi control escaped as `\uXXXX`, so that a stored
 * value (an idempotency key, say) can never move the cursor, recolour or
 * retitle the terminal, or reorder the line.
 */
export function quoted(text: string): string {
  return JSON.stringify(text).replace(UNPRINTABLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
