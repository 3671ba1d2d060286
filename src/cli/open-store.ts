import { fileStore } from '../adapters/file-store.js';
import { postgresStore } from '../adapters/postgres/postgres-store.js';
import type { Store } from '../adapters/store.js';

/**
 * The store a `--store` value names: a `postgres://` (or `postgresql://`)
 * URL, whose optional `schema` query parameter picks the schema (default
 * `igflow`), or a directory for the file store.
 */
export function openStore(location: string): Store {
  if (!/^postgres(ql)?:\/\//i.test(location)) return fileStore(location);
  const url = new URL(location);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  return postgresStore({ connectionString: url.toString(), ...(schema === undefined ? {} : { schema }) });
}
