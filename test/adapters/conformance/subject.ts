import type { Store } from '../../../src/adapters/store.js';

/** What a conformance run needs from an adapter, made fresh for every test. */
export interface StoreUnderTest {
  readonly store: Store;
  /** Another store object on the same backend (another process's view); the store itself when there is only one (memory). */
  readonly twin?: () => Store;
  /** Removes whatever the store left behind (a temp dir, a schema). */
  readonly cleanup?: () => Promise<void>;
  /** Another store object over the same backend (as another process opens it); the memory store gives itself. Closed by the test. */
  readonly reopen?: () => Store;
  /** Replaces a post's stored form with `raw`, as a disk or a bad writer could; enables the damaged-post tests. */
  readonly corrupt?: (postId: string, raw: string) => Promise<void>;
}

/** What an adapter can be tested for beyond the common suite. */
export interface ConformanceOptions {
  /** The adapter keeps posts as bytes that can be damaged, so the damaged-post tests run (and need `corrupt`). */
  readonly storesBytes: boolean;
}

/** Damages a post through the subject's hook; an adapter that stores bytes must have one. */
export async function corrupt(subject: StoreUnderTest, postId: string, raw: string): Promise<void> {
  if (!subject.corrupt) throw new Error('this adapter stores bytes but its test subject has no corrupt hook');
  await subject.corrupt(postId, raw);
}

/** Waits for a promise that must reject, and returns its reason. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but it resolved');
}
