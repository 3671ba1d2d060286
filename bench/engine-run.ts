import type { Store } from '../src/adapters/store.js';
import { createEngine } from '../src/engine/engine.js';
import { runBounded } from './bounded.js';
import { imageSpec, simGraph } from './specs.js';
import { measure, type Timing } from './timing.js';

/** Options of {@link publishThroughEngine}. */
export interface EngineRunOptions {
  readonly baseUrl: string;
  readonly store: Store;
  readonly posts: number;
  /** Posts in flight at once. */
  readonly concurrency: number;
  readonly tag: string;
  /** The engine's base unit: its first status read comes this long after the create. */
  readonly pollIntervalMs: number;
}

/**
 * Publishes `posts` image posts through a fresh engine on the system clock,
 * `concurrency` at a time: each worker awaits `publish(spec)` and then the
 * handle's `result` before it takes the next post, so at most `concurrency`
 * posts are in flight, as in the plain loop. Resolves to the time from the
 * first publish to the last result (creating the engine and shutting it
 * down left out).
 */
export async function publishThroughEngine(options: EngineRunOptions): Promise<Timing> {
  // the bench simulator lifts Instagram's container cap; igflow's own budget (400 a day) goes with it
  const engine = createEngine({ store: options.store, graph: simGraph(options.baseUrl), pollIntervalMs: options.pollIntervalMs, mediaChecks: false, containerBudget: 1_000_000 });
  try {
    return await measure(() =>
      runBounded(options.posts, options.concurrency, async (index) => {
        const handle = await engine.publish(imageSpec(options.tag, index));
        await handle.result;
      }),
    );
  } finally {
    await engine.shutdown();
  }
}
