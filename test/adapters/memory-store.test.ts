import { memoryStore } from '../../src/adapters/memory-store.js';
import { storeConformance } from './conformance.js';

storeConformance('memory', () => Promise.resolve({ store: memoryStore() }));
