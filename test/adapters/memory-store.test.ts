import { memoryStore } from '../../src/adapters/memory-store.js';
import { storeConformance } from './conformance/index.js';

storeConformance('memory', () => Promise.resolve({ store: memoryStore() }), { storesBytes: false });
