import type { GraphClient } from '../graph/client.js';
import { standardTiming, type StandardTimingOptions, type Timing } from '../machines/timing.js';
import { adaptiveTiming } from '../polling/adaptive-timing.js';
import { observedGraph } from '../polling/observed-graph.js';
import { PollHistory } from '../polling/poll-history.js';
import type { PollingOptions } from '../polling/polling-options.js';
import type { Clock } from '../time/clock.js';

/** The engine's polling: the timing its machines run on, and how it watches a Graph client's reads to learn. */
export interface EnginePolling {
  readonly timing: Timing;
  /** The client, watched when the timing learns (the same wrapper every time for one client); as is otherwise. */
  readonly watch: (graph: GraphClient) => GraphClient;
}

/**
 * Builds the engine's polling from its options: adaptive by default (a
 * history, fed by watching every client's creates and status reads, on the
 * engine's clock), or the seed's schedule alone (`polling: 'seed'`).
 */
export function enginePolling(options: PollingOptions & StandardTimingOptions, clock: Clock): EnginePolling {
  const timingOptions: StandardTimingOptions = { unitMs: options.unitMs, deadlineMs: options.deadlineMs };
  if (options.polling === 'seed') return { timing: standardTiming(timingOptions), watch: (graph) => graph };
  const history = options.pollHistory ?? new PollHistory();
  const watched = new WeakMap<GraphClient, GraphClient>();
  const now = () => clock.now();
  return {
    timing: adaptiveTiming({ ...timingOptions, history }),
    watch: (graph) => {
      let seen = watched.get(graph);
      if (seen === undefined) {
        seen = observedGraph(graph, history, now);
        watched.set(graph, seen);
      }
      return seen;
    },
  };
}
