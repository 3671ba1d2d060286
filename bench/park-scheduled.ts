import { filter } from 'rxjs';
import type { Store } from '../src/adapters/store.js';
import { createEngine, type Engine } from '../src/engine/engine.js';
import type { VirtualClock } from '../src/time/virtual-clock.js';
import { runBounded } from './bounded.js';
import { imageSpec, simGraph } from './specs.js';

/** How far ahead of the clock the posts are scheduled. */
export const SCHEDULE_AHEAD_MS = 3 * 3_600_000;

/** Posts handed to `publish` at once while filling. */
const FILL_CONCURRENCY = 64;

/** Gives up waiting for the posts to park after this long (real time). */
const PARK_TIMEOUT_MS = 15 * 60_000;

/**
 * An engine on a virtual clock that never moves, with the default timing
 * (a 5 s unit, parking after 30 s): a post scheduled hours ahead is stored
 * and parked, and nothing ever wakes it.
 */
export function scheduledEngine(store: Store, clock: VirtualClock, baseUrl: string): Engine {
  return createEngine({ store, clock, graph: simGraph(baseUrl), mediaChecks: false });
}

/**
 * Publishes `posts` image posts scheduled {@link SCHEDULE_AHEAD_MS} ahead
 * of `clock` through `engine`, and resolves once every one of them has
 * been accepted and parked (one `waiting` event each). The handles are
 * dropped: what stays in memory is what the engine itself keeps.
 */
export async function parkScheduled(engine: Engine, clock: VirtualClock, posts: number, tag: string): Promise<void> {
  let waiting = 0;
  const subscription = engine.events$.pipe(filter((event) => event.type === 'waiting')).subscribe(() => {
    waiting += 1;
  });
  try {
    const publishAt = clock.now() + SCHEDULE_AHEAD_MS;
    await runBounded(posts, FILL_CONCURRENCY, async (index) => {
      await engine.publish(imageSpec(tag, index, publishAt));
    });
    const start = Date.now();
    while (waiting < posts) {
      if (Date.now() - start > PARK_TIMEOUT_MS) throw new Error(`only ${waiting} of ${posts} posts parked after ${PARK_TIMEOUT_MS} ms`);
      await new Promise<void>((resolve) => setTimeout(resolve, 5));
    }
  } finally {
    subscription.unsubscribe();
  }
}
