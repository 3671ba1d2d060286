import { createEngine, type Engine } from '../../src/engine/engine.js';
import { isGraphClient, type EngineOptions } from '../../src/engine/engine-options.js';
import type { GraphClient } from '../../src/graph/client.js';
import type { GraphClientOptions } from '../../src/graph/graph-options.js';
import type { VirtualClock } from '../../src/time/virtual-clock.js';
import { heldDispatcher, heldStore } from './held.js';

/**
 * `createEngine` on a VirtualClock with the test-only clock holding
 * installed: its store, and the Graph clients it makes from options, hold
 * the clock while their I/O is pending, so virtual time never jumps under
 * a file write or an HTTP exchange. A ready client passed in must be made
 * with {@link heldDispatcher} by the test itself. Media checks are off
 * unless `mediaChecks` is given.
 */
export function virtualEngine(options: EngineOptions & { readonly clock: VirtualClock }): Engine {
  const dispatcher = heldDispatcher(options.clock);
  const hold = (graph: GraphClientOptions | GraphClient) => (isGraphClient(graph) || graph.dispatcher !== undefined ? graph : { ...graph, dispatcher });
  const graph = Array.isArray(options.graph) ? options.graph.map(hold) : hold(options.graph as GraphClientOptions | GraphClient);
  // the suites' specs name hosts that do not exist (cdn.example): media checks are off unless a test asks for them
  const engine = createEngine({ mediaChecks: false, ...options, store: heldStore(options.store, options.clock), graph });
  let closed: Promise<void> | undefined;
  return {
    ...engine,
    shutdown() {
      closed ??= engine.shutdown().then(() => dispatcher.close());
      return closed;
    },
  };
}
