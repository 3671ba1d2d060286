import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlotRequest, Store } from '../../../src/adapters/store.js';
import { ACCOUNT, OTHER_ACCOUNT } from '../fixtures/new-post.js';
import type { StoreUnderTest } from './subject.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const slot = (postId: string, extra: Partial<SlotRequest> = {}): SlotRequest => ({ account: ACCOUNT, postId, kind: 'publish', now: NOW, windowMs: DAY, total: 5, until: NOW + 600_000, ...extra });

/** What every adapter's `takeSlot` must do: count, decide and write as one operation, whoever races it. */
export function slotsConformance(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`${name} store: quota and container slots`, () => {
    let subject: StoreUnderTest;
    let store: Store;
    let twins: Store[];
    beforeEach(async () => {
      subject = await make();
      store = subject.store;
      twins = [];
    });
    afterEach(async () => {
      await Promise.all(twins.map((t) => t.close()));
      await store.close();
      await subject.cleanup?.();
    });
    const twin = (): Store => {
      if (subject.twin === undefined) return store;
      const made = subject.twin();
      twins.push(made);
      return made;
    };

    it('reserves publishes up to what the window has left, Instagram’s count as the floor, and frees a reservation when the publish is recorded', async () => {
      await store.ledger.recordPublish({ account: ACCOUNT, postId: 'old', at: NOW - DAY - 1 });
      await store.ledger.recordPublish({ account: ACCOUNT, postId: 'x', at: NOW - 3_600_000 });
      const floor = { used: 3, at: NOW - 60_000 }; // Instagram counts 3, the ledger knows 1 of them
      expect(await store.ledger.takeSlot(slot('a', { floor }))).toEqual({ ok: true, used: 3 });
      expect(await store.ledger.takeSlot(slot('b', { floor }))).toEqual({ ok: true, used: 4 });
      expect(await store.ledger.takeSlot(slot('c', { floor }))).toEqual({ ok: false, used: 5, freesAt: undefined });
      // a post asking again replaces its own reservation
      expect(await store.ledger.takeSlot(slot('a', { floor }))).toEqual({ ok: true, used: 4 });
      await store.ledger.recordPublish({ account: ACCOUNT, postId: 'a', at: NOW });
      // a's publish now counts once, in the ledger, after the floor: 3 + 1, plus b's reservation
      expect(await store.ledger.takeSlot(slot('c', { floor }))).toEqual({ ok: false, used: 5, freesAt: undefined });
      // other accounts are their own
      expect(await store.ledger.takeSlot(slot('q', { account: OTHER_ACCOUNT, floor }))).toEqual({ ok: true, used: 3 });
    });

    it('says when the oldest counted publish leaves the window, and forgets reservations that ran out', async () => {
      for (let i = 0; i < 4; i++) await store.ledger.recordPublish({ account: ACCOUNT, postId: `p${i}`, at: NOW - (10 - i) * 3_600_000 });
      expect(await store.ledger.takeSlot(slot('a', { until: NOW + 1_000 }))).toEqual({ ok: true, used: 4 });
      expect(await store.ledger.takeSlot(slot('b'))).toEqual({ ok: false, used: 5, freesAt: NOW - 10 * 3_600_000 + DAY });
      expect(await store.ledger.takeSlot(slot('b', { now: NOW + 1_000 }))).toEqual({ ok: true, used: 4 });
    });

    it('never reserves more than the window has left when 12 takers on separate store objects race', async () => {
      await store.ledger.recordPublish({ account: ACCOUNT, postId: 'x', at: NOW - 1_000 });
      const stores = [store, ...Array.from({ length: 11 }, twin)];
      // every store object connected first, so the takers really run at the same time
      await Promise.all(stores.map((s) => s.ledger.publishesSince(ACCOUNT, 0)));
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => stores[i]!.ledger.takeSlot(slot(`p${i}`, { floor: { used: 2, at: NOW - 60_000 } }))));
      // Instagram counts 2 by the floor's time, plus x after it: 3 of 5 used, 2 left
      expect(answers.filter((a) => a.ok)).toHaveLength(2);
      expect(answers.filter((a) => !a.ok).every((a) => a.used === 5)).toBe(true);
    });

    it('counts container creations in the same ledger, apart from publishes: 400 a day, the 401st refused until the oldest leaves', async () => {
      const stores = [store, twin()];
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => stores[i % 2]!.ledger.takeSlot(slot(`c${i}`, { kind: 'container', total: 6, now: NOW + i }))));
      expect(answers.filter((a) => a.ok)).toHaveLength(6);
      const refused = await store.ledger.takeSlot(slot('late', { kind: 'container', total: 6, now: NOW + 100 }));
      expect(refused).toMatchObject({ ok: false, used: 6 });
      const oldest = Math.min(...answers.map((a, i) => (a.ok ? NOW + i : Infinity)));
      expect(refused.ok ? 0 : refused.freesAt).toBe(oldest + DAY);
      // creations are not publishes
      expect(await store.ledger.publishesSince(ACCOUNT, 0)).toEqual([]);
      expect(await store.ledger.takeSlot(slot('pub', { total: 1 }))).toEqual({ ok: true, used: 0 });
      // once the oldest creation is more than a day old, a slot is free again
      expect(await store.ledger.takeSlot(slot('later', { kind: 'container', total: 6, now: oldest + DAY + 1 }))).toEqual({ ok: true, used: 5 });
    });
  });
}
