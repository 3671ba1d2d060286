/** Runs work for one key at a time, in call order; see {@link keyedMutex}. */
export type KeyedMutex = <T>(key: string, work: () => Promise<T>) => Promise<T>;

/**
 * An in-process mutex per key: calls for the same key run one after
 * another, calls for different keys run concurrently. The file store uses
 * it so that its own concurrent calls queue here instead of spinning on the
 * cross-process lock file.
 */
export function keyedMutex(): KeyedMutex {
  const tails = new Map<string, Promise<void>>();
  return async <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const result = previous.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
