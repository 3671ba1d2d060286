import { describe, expect, it } from 'vitest';
import { countsAgainst, decideSlot, type Reservation } from '../../src/adapters/slot-rules.js';
import { QuotaGate, type PublishEntry, type PublishLedger } from '../../src/effects/quota-gate.js';
import type { GraphClient, PublishingLimit } from '../../src/graph/client.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';

const DAY = 86_400_000;

/** A gate over an in-memory ledger and a scripted `content_publishing_limit` answer. */
function setup(limit: PublishingLimit | Error, entries: PublishEntry[] = []) {
  const clock = new VirtualClock();
  let reads = 0;
  const graph = {
    publishingLimit: () => {
      reads += 1;
      return limit instanceof Error ? Promise.reject(limit) : Promise.resolve(limit);
    },
  } as unknown as GraphClient;
  let reservations: Reservation[] = [];
  const ledger: PublishLedger = {
    recordPublish: (entry: PublishEntry) => {
      entries.push(entry);
      reservations = reservations.filter((r) => r.postId !== entry.postId);
      return Promise.resolve();
    },
    publishesSince: (account: string, since: number) => Promise.resolve(entries.filter((e) => e.account === account && e.at >= since)),
    // the stores' own decision (slot-rules.ts), over this test's entries
    takeSlot: (request) => {
      const window = entries.filter((e) => e.account === request.account && e.at >= request.now - request.windowMs).map((e) => e.at);
      const answer = decideSlot(request, window, reservations.filter((r) => countsAgainst(r, request)).length);
      if (answer.ok) reservations = [...reservations.filter((r) => r.postId !== request.postId), { account: request.account, postId: request.postId, until: request.until }];
      return Promise.resolve(answer);
    },
  };
  const gate = new QuotaGate({ account: 'a', clock, graph: () => graph, ledger, marginMs: 60_000 });
  return { clock, gate, entries, reads: () => reads };
}
const limit = (quotaUsage: number, quotaTotal = 3): PublishingLimit => ({ quotaUsage, quotaTotal, quotaDurationMs: DAY, totalReported: true });

describe('QuotaGate: the daily publishing quota', () => {
  it('allows a publish while the stricter count is under the quota', async () => {
    const { gate } = setup(limit(1));
    expect(await gate.check('p1')).toMatchObject({ ok: true, used: 1, total: 3 });
  });

  it('counts publishes under way, so a burst cannot race the server', async () => {
    const { gate } = setup(limit(0));
    const decisions = await Promise.all(['p1', 'p2', 'p3', 'p4'].map((id) => gate.check(id)));
    expect(decisions.map((d) => d.ok)).toEqual([true, true, true, false]);
  });

  it('trusts its own ledger when it knows of more publishes than Instagram reports', async () => {
    const { clock, gate } = setup(limit(0));
    for (const id of ['p1', 'p2', 'p3']) {
      expect((await gate.check(id)).ok).toBe(true);
      await gate.record(id, clock.now());
      clock.advanceBy(60_000);
    }
    const over = await gate.check('p4');
    expect(over.ok).toBe(false);
  });

  it('waits until the oldest counted publish leaves the moving 24 h window', async () => {
    const start = Date.UTC(2026, 0, 1);
    const { gate } = setup(limit(3), [
      { account: 'a', postId: 'x', at: start - 10 * 3_600_000 },
      { account: 'a', postId: 'y', at: start - 5 * 3_600_000 },
      { account: 'a', postId: 'z', at: start - 1 * 3_600_000 },
    ]);
    const decision = await gate.check('p');
    expect(decision).toMatchObject({ ok: false, wakeAt: start - 10 * 3_600_000 + DAY + 60_000 });
  });

  it('waits an hour when Instagram counts publishes this ledger does not know', async () => {
    const { clock, gate } = setup(limit(3));
    expect(await gate.check('p')).toMatchObject({ ok: false, wakeAt: clock.now() + 3_600_000 });
  });

  it('believes a refused publish (2207042) over an older count', async () => {
    const { clock, gate } = setup(limit(0));
    expect((await gate.check('p')).ok).toBe(true);
    expect(await gate.check('p', true)).toMatchObject({ ok: false, wakeAt: clock.now() + 3_600_000 });
  });

  it('reads Instagram at most every 10 minutes while far from the quota, and every time near it', async () => {
    const { clock, gate, reads } = setup(limit(0, 100));
    await gate.check('p1');
    await gate.check('p2');
    expect(reads()).toBe(1);
    clock.advanceBy(10 * 60_000);
    await gate.check('p3');
    expect(reads()).toBe(2);
    const near = setup(limit(2, 3));
    await near.gate.check('q1');
    await near.gate.check('q2');
    expect(near.reads()).toBe(2);
  });

  it('counts a recorded publish once: Instagram is read afresh only from within 10% of the quota', async () => {
    const { clock, gate, reads } = setup(limit(0, 10));
    for (let i = 1; i <= 8; i++) {
      expect((await gate.check(`p${i}`)).ok).toBe(true);
      await gate.record(`p${i}`, clock.now());
    }
    // 8 counted: the 9th would be the quota's 90%, so only its check reads Instagram again
    expect(reads()).toBe(1);
    await gate.check('p9');
    expect(reads()).toBe(2);
  });

  it('falls back to the ledger and a quota of 50 when the limit cannot be read', async () => {
    const { gate } = setup(new Error('down'));
    expect(await gate.check('p')).toMatchObject({ ok: true, total: 50 });
  });
});
