import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/adapters/store.js';
import { ACCOUNT, OTHER_ACCOUNT } from '../fixtures/new-post.js';
import type { StoreUnderTest } from './subject.js';

/** What every adapter's PublishLedger must do: record publishes and give an account's since a time, oldest first. */
export function ledgerConformance(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`${name} store: publish ledger`, () => {
    let subject: StoreUnderTest;
    let store: Store;
    beforeEach(async () => {
      subject = await make();
      store = subject.store;
    });
    afterEach(async () => {
      await store.close();
      await subject.cleanup?.();
    });

    it('publishesSince filters by account and time, oldest first', async () => {
      await store.ledger.recordPublish({ account: ACCOUNT, postId: 'p3', at: 3_000 });
      await store.ledger.recordPublish({ account: ACCOUNT, postId: 'p1', at: 1_000 });
      await store.ledger.recordPublish({ account: OTHER_ACCOUNT, postId: 'q1', at: 2_500 });
      await store.ledger.recordPublish({ account: ACCOUNT, postId: 'p2', at: 2_000 });
      expect(await store.ledger.publishesSince(ACCOUNT, 2_000)).toEqual([
        { account: ACCOUNT, postId: 'p2', at: 2_000 },
        { account: ACCOUNT, postId: 'p3', at: 3_000 },
      ]);
      expect(await store.ledger.publishesSince(OTHER_ACCOUNT, 0)).toEqual([{ account: OTHER_ACCOUNT, postId: 'q1', at: 2_500 }]);
      expect(await store.ledger.publishesSince('17841400000000003', 0)).toEqual([]);
    });

    it('keeps publishes recorded at once by several writers, each once', async () => {
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.ledger.recordPublish({ account: ACCOUNT, postId: `p${i}`, at: 1_000 + i })));
      const entries = await store.ledger.publishesSince(ACCOUNT, 0);
      expect(entries.map((e) => e.postId)).toEqual(Array.from({ length: 20 }, (_, i) => `p${i}`));
    });
  });
}
