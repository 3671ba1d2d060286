import { fileStore } from '../adapters/file-store.js';
import { postgresStore } from '../adapters/postgres/postgres-store.js';
import type { Store } from '../adapters/store.js';

/** The store a `--store` value names: a `postgres://` (or `postgresql://`) URL, or a directory for the file store. */
export function openStore(location: string): Store {
  return /^postgres(ql)?:\/\//i.test(location) ? postgresStore({ connectionString: location }) : fileStore(location);
}
