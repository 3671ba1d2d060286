/** The longest delay `setTimeout` honours (2³¹ − 1 ms, about 24.8 days); longer ones fire at once with a warning. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * A one-shot timer of any length on the wall clock: delays beyond what
 * `setTimeout` can hold are waited out in chunks, re-armed against the
 * target time, so they neither fire early nor spin. Returns the function
 * that cancels it.
 */
export function longTimeout(fire: () => void, delayMs: number): () => void {
  const target = Date.now() + Math.max(0, delayMs);
  let handle: NodeJS.Timeout;
  const arm = (): void => {
    const left = target - Date.now();
    if (left <= MAX_TIMEOUT_MS) {
      handle = setTimeout(fire, Math.max(0, left));
      return;
    }
    handle = setTimeout(arm, MAX_TIMEOUT_MS);
  };
  arm();
  return () => clearTimeout(handle);
}
