import type { LedgerEntry } from './store.js';

/** An account's publishes at or after `since`, oldest first (ties keep their recording order). */
export function publishesOf(entries: Iterable<LedgerEntry>, account: string, since: number): LedgerEntry[] {
  const picked: LedgerEntry[] = [];
  for (const e of entries) if (e.account === account && e.at >= since) picked.push({ account: e.account, postId: e.postId, at: e.at });
  return picked.sort((a, b) => a.at - b.at);
}
