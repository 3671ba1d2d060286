const MASK = '[redacted]';

/**
 * Builds a function that removes every secret (and its URL-encoded form)
 * from a text. Every message the Graph client builds goes through one, so
 * the access token can never leak into an error, a log line or an event.
 */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const forms = [...new Set(secrets.filter((s) => s.length > 0).flatMap((s) => [s, encodeURIComponent(s)]))].sort(
    (a, b) => b.length - a.length,
  );
  if (forms.length === 0) return (text) => text;
  return (text) => forms.reduce((out, secret) => out.split(secret).join(MASK), text);
}
