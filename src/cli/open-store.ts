import { fileStore } from '../adapters/file-store.js';
import { postgresStore } from '../adapters/postgres/postgres-store.js';
import type { Store } from '../adapters/store.js';
import { CliError, ExitCode } from './exit-codes.js';
import { shownStoreLocation } from './store-location.js';

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /**
   * Whether the store may create what it lacks: a PostgreSQL schema and its
   * migrations. Default true; false for commands that only look (`status`),
   * which then fail on a missing schema rather than create it.
   */
  readonly create?: boolean;
}

/**
 * The store a `--store` value names: a `postgres://` (or `postgresql://`)
 * URL, whose optional `schema` query parameter picks the schema (default
 * `igflow`), or a directory for the file store. A malformed URL or schema
 * name is a usage error (exit 2) that shows the location with its password masked.
 */
export function openStore(location: string, options: OpenStoreOptions = {}): Store {
  if (!/^postgres(ql)?:\/\//i.test(location)) return fileStore(location);
  const usage = 'Give --store as a directory, or as postgres://user@host:5432/database?schema=name (a password goes after the user and a colon).';
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw new CliError(`--store ${shownStoreLocation(location)} is not a valid postgres:// URL`, ExitCode.invalid, usage);
  }
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  try {
    return postgresStore({ connectionString: url.toString(), ...(schema === undefined ? {} : { schema }), ...(options.create === false ? { create: false } : {}) });
  } catch (error) {
    if (error instanceof RangeError) throw new CliError(`--store ${shownStoreLocation(location)}: ${error.message}`, ExitCode.invalid, usage);
    throw error;
  }
}
