import type { LedgerEntry } from './store.js';

/** An account's publishes at or after `since`, oldest first (ties keep their recording order). */
export function publishesOf(entries: Iterable<LedgerEntry>, account: string, since: number): LedgerEntry[] {
  const picked: LedgerEntry[] = [];
  for (const e of entries) if (e.account === account && e.at >= since) picked.push({ account: e.account, postId: e.postId, at: e.at });
  return picked.sort((a, b) => a.at - b.at);
}

/** The times (epoch ms) of an account's entries at or after `since`, in no particular order: what `decideSlot` (slot-rules.ts) counts, without copying or sorting the entries. */
export function timesOf(entries: Iterable<LedgerEntry>, account: string, since: number): number[] {
  const times: number[] = [];
  for (const e of entries) if (e.account === account && e.at >= since) times.push(e.at);
  return times;
}
