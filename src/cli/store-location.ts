import { redact } from '../adapters/postgres/pg-errors.js';

/** A location with a scheme (`postgres://…`), as opposed to a directory. */
const HAS_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * A `--store` value as the CLI prints it: a directory as given; a URL with
 * its password (`user:***@`) and any `password`-like query parameter masked.
 * Every message that names a store goes through this.
 */
export function shownStoreLocation(location: string): string {
  if (!HAS_SCHEME.test(location)) return location;
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return maskCredentials(location);
  }
  if (url.password !== '') url.password = '***';
  for (const name of [...url.searchParams.keys()]) if (/pass/i.test(name)) url.searchParams.set(name, '***');
  return url.toString();
}

/** Any text with the credentials of URLs in it (`scheme://user:secret@`) and `password=` settings masked: the last guard before the CLI prints an error. */
export function maskCredentials(text: string): string {
  return redact(text, []);
}
