import { quoted } from '../printable.js';

/** The longest name PostgreSQL keeps (NAMEDATALEN - 1 bytes); longer ones are silently truncated, so they are refused. */
const MAX_NAME_BYTES = 63;

/**
 * Checks a schema or channel name given in the options: non-empty, at most
 * 63 bytes, no NUL. Any other character is fine: names are always quoted.
 * Throws a RangeError (a configuration mistake, found before any I/O).
 */
export function assertPgName(what: string, name: string): string {
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes === 0 || bytes > MAX_NAME_BYTES || name.includes('\0')) {
    throw new RangeError(`postgresStore: ${what} must be 1 to ${MAX_NAME_BYTES} bytes without NUL, got ${quoted(name)}`);
  }
  return name;
}

/** `name` as a quoted SQL identifier (`"a""b"`), safe to splice into a statement. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
