import { memoryStore } from '../../src/adapters/memory-store.js';
import type { Store } from '../../src/adapters/store.js';
import type { StoreUnderTest } from '../adapters/conformance/subject.js';
import { tempPostgresStore } from '../adapters/fixtures/postgres-schema.js';
import { tempFileStore } from '../adapters/fixtures/temp-store.js';

/** `n` store objects over the same data, as `n` worker processes have them (the memory store: one object), and how to close and remove them. */
export interface StoreObjects {
  readonly stores: readonly Store[];
  readonly cleanup: () => Promise<void>;
}

/** The subject's store and `n - 1` twins, closed and removed together. */
function twinned(subject: StoreUnderTest, n: number): StoreObjects {
  const stores = [subject.store, ...Array.from({ length: n - 1 }, () => subject.twin!())];
  return {
    stores,
    cleanup: async () => {
      await Promise.all(stores.map((s) => s.close()));
      await subject.cleanup?.();
    },
  };
}

/** For tests of many workers on one store, by backend: memory, file (one temp directory), postgres (one fresh schema, a pool per object). */
export const storeObjects: Readonly<Record<'memory' | 'file' | 'postgres', (n: number) => Promise<StoreObjects>>> = {
  memory: (n) => {
    const store = memoryStore();
    return Promise.resolve({ stores: Array.from({ length: n }, () => store), cleanup: () => store.close() });
  },
  file: async (n) => twinned(await tempFileStore(), n),
  postgres: async (n) => twinned(await tempPostgresStore(), n),
};
