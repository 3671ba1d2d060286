import { memoryStore } from '../../src/adapters/memory-store.js';
import { storeConformance } from './conformance/index.js';

storeConformance(
  'memory',
  () => {
    const store = memoryStore();
    return Promise.resolve({ store, reopen: () => ({ ...store, close: () => Promise.resolve() }) });
  },
  { storesBytes: false },
);
