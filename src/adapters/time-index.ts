/**
 * The times (epoch ms) of entries per account, each account's kept in
 * ascending order, so the memory store reads a moving window as one slice
 * instead of walking every entry it ever recorded.
 */
export interface TimeIndex {
  /** Records one entry of `account` at `at`. */
  add(account: string, at: number): void;
  /** The times of `account`'s entries at or after `since`, ascending (a fresh array). */
  since(account: string, since: number): number[];
}

/** The first index of `times` (ascending) whose value is at or after `since`. */
const firstAtOrAfter = (times: readonly number[], since: number): number => {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < since) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/** An empty {@link TimeIndex}. An entry older than the account's newest is put in its place (a clock that stepped back). */
export function timeIndex(): TimeIndex {
  const byAccount = new Map<string, number[]>();
  return {
    add(account, at) {
      let times = byAccount.get(account);
      if (times === undefined) {
        times = [];
        byAccount.set(account, times);
      }
      if (times.length === 0 || times[times.length - 1]! <= at) times.push(at);
      else times.splice(firstAtOrAfter(times, at), 0, at);
    },
    since(account, since) {
      const times = byAccount.get(account);
      return times === undefined ? [] : times.slice(firstAtOrAfter(times, since));
    },
  };
}
