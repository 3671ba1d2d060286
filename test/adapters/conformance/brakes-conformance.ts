import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrakeState, Store } from '../../../src/adapters/store.js';
import type { StoreUnderTest } from './subject.js';

const brake = (extra: Partial<BrakeState> = {}): BrakeState => ({ key: 'account:1', blockedUntil: 0, strikes: 0, peakPercent: 0, usageAt: 0, ...extra });

/** What every adapter's BrakeBoard must do: merge raises (later block, newer usage) and show them to every store object on the backend. */
export function brakesConformance(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`${name} store: shared brakes`, () => {
    let subject: StoreUnderTest;
    let store: Store;
    let other: Store;
    beforeEach(async () => {
      subject = await make();
      store = subject.store;
      other = subject.twin?.() ?? store;
    });
    afterEach(async () => {
      if (other !== store) await other.close();
      await store.close();
      await subject.cleanup?.();
    });

    it('merges raises: the later block and the larger strike count stay, the newer usage reading wins', async () => {
      expect(await store.brakes.read()).toEqual([]);
      expect(await store.brakes.raise(brake({ blockedUntil: 5_000, strikes: 1, peakPercent: 100, usageAt: 1_000 }))).toEqual(brake({ blockedUntil: 5_000, strikes: 1, peakPercent: 100, usageAt: 1_000 }));
      expect(await other.brakes.raise(brake({ blockedUntil: 3_000, strikes: 2, peakPercent: 40, usageAt: 500 }))).toEqual(brake({ blockedUntil: 5_000, strikes: 2, peakPercent: 100, usageAt: 1_000 }));
      await other.brakes.raise(brake({ key: 'app', blockedUntil: 9_000 }));
      const all = [...(await store.brakes.read())].sort((a, b) => a.key.localeCompare(b.key));
      expect(all).toEqual([brake({ blockedUntil: 5_000, strikes: 2, peakPercent: 100, usageAt: 1_000 }), brake({ key: 'app', blockedUntil: 9_000 })]);
      // a newer reading without a throttle resets the strikes
      expect(await store.brakes.raise(brake({ blockedUntil: 0, strikes: 0, peakPercent: 10, usageAt: 2_000 }))).toEqual(brake({ blockedUntil: 5_000, strikes: 0, peakPercent: 10, usageAt: 2_000 }));
    });

    it('tells watchers on other store objects of a raise, when the store can watch', async () => {
      if (other.brakes.watch === undefined) return; // the file store: engines read it before their calls instead
      const heard: Array<BrakeState | undefined> = [];
      const stop = await other.brakes.watch((state) => heard.push(state));
      try {
        await store.brakes.raise(brake({ blockedUntil: 7_000, strikes: 1 }));
        const deadline = Date.now() + 5_000;
        while (!heard.some((s) => s?.blockedUntil === 7_000) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
        expect(heard).toContainEqual(brake({ blockedUntil: 7_000, strikes: 1 }));
      } finally {
        await stop();
      }
    });
  });
}
