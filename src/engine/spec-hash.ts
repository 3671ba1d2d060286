import { createHash } from 'node:crypto';

/** `value` as JSON with object keys sorted, so equal content has one spelling. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A fingerprint of what a post publishes: the validated spec (key order
 * and absent fields do not matter) and the account. The same idempotency
 * key with another fingerprint is a different post, and is refused.
 */
export function specHash(spec: unknown, account: string): string {
  return createHash('sha256').update(canonicalJson({ account, spec })).digest('hex').slice(0, 32);
}
