/** Where V8's JSON.parse messages say the text went wrong (`… in JSON at position 39`). */
const POSITION = /\bat position (\d+)\b/;

/**
 * Why `text` is not JSON, in words that never quote it (JSON.parse's own
 * message does: `Unexpected token 'x', "xyz…" is not valid JSON`), for the
 * end of a sentence about a stored post: `is empty`, `is truncated (…)` when
 * the text stops where JSON was still expected (a write cut short), or
 * `is not JSON (…)`.
 */
export function jsonDamage(text: string, error: unknown): string {
  const size = `${Buffer.byteLength(text, 'utf8')} bytes`;
  const body = text.trimEnd();
  if (body.trim() === '') return `is empty (${size}, no JSON at all)`;
  const message = error instanceof Error ? error.message : '';
  const at = POSITION.exec(message);
  const position = at ? Number(at[1]) : undefined;
  if (message.includes('Unexpected end of JSON input') || (position !== undefined && position >= body.length)) {
    return `is truncated: its JSON stops in the middle after ${size}`;
  }
  return position === undefined ? `is not JSON (${size})` : `is not JSON (invalid at character ${position + 1} of ${body.length})`;
}
