import { brakesConformance } from './brakes-conformance.js';
import { ledgerConformance } from './ledger-conformance.js';
import { slotsConformance } from './slots-conformance.js';
import { outboxConformance } from './outbox-conformance.js';
import { manageConformance } from './manage-conformance.js';
import { postsConformance } from './posts-conformance.js';
import { queueConformance } from './queue-conformance.js';
import type { ConformanceOptions, StoreUnderTest } from './subject.js';

export type { ConformanceOptions, StoreUnderTest } from './subject.js';

/** Every conformance suite, for one adapter: posts, work queue, ledger (with its slots), brakes, managing posts and the outbox. */
export function storeConformance(name: string, make: () => Promise<StoreUnderTest>, options: ConformanceOptions): void {
  postsConformance(name, make, options);
  queueConformance(name, make);
  ledgerConformance(name, make);
  slotsConformance(name, make);
  brakesConformance(name, make);
  outboxConformance(name, make);
  manageConformance(name, make);
}
