import { fileStore } from '../adapters/file-store.js';
import type { Store } from '../adapters/store.js';

/** The store a `--store` value names: a directory for the file store. */
export function openStore(location: string): Store {
  return fileStore(location);
}
