import { StoreError } from '../store-errors.js';

/** `user:password@` in any URL-looking text. */
const URL_CREDENTIALS = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@]*@/gi;
/** `password=…` in a key/value connection string. */
const KEYWORD_PASSWORD = /(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)/gi;

/**
 * The passwords a connection string or pool configuration carries, raw and
 * percent-encoded, so that {@link pgStoreError} can blank them out.
 */
export function connectionSecrets(connectionString: string | undefined, password: unknown): string[] {
  const secrets: string[] = [];
  if (typeof password === 'string') secrets.push(password);
  if (connectionString !== undefined) {
    try {
      const url = new URL(connectionString);
      if (url.password !== '') secrets.push(url.password, decodeURIComponent(url.password));
    } catch {
      // not a URL (a key/value string or a socket path): KEYWORD_PASSWORD covers it
    }
  }
  return [...new Set(secrets.filter((s) => s.length > 0))];
}

/** `text` with credentials in URLs, `password=` settings and each known secret replaced by `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text.replace(URL_CREDENTIALS, '$1:***@').replace(KEYWORD_PASSWORD, '$1***');
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}

/** What went wrong, in one line: the message (or, for an AggregateError such as a refused connection to every address, its parts) and the error code. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const parts = error instanceof AggregateError && error.message === '' ? error.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))) : [error.message];
  const code = (error as { code?: unknown }).code;
  const text = parts.filter((p) => p !== '').join('; ') || error.name;
  return typeof code === 'string' && !text.includes(code) ? `${text} [${code}]` : text;
}

/**
 * Any failure of a store operation as a {@link StoreError}: StoreErrors
 * (stale writes, corrupt rows) pass through; database and connection errors
 * become kind `io` saying what the store was doing, with every password blanked out.
 */
export function pgStoreError(error: unknown, postId: string, doing: string, secrets: readonly string[]): StoreError {
  if (error instanceof StoreError) return error;
  return new StoreError('io', postId, redact(`postgres store could not ${doing}: ${describe(error)}`, secrets));
}
