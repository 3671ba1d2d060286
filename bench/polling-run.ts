import { createActor, toPromise } from 'xstate';
import { provideEffects } from '../src/effects/provide-effects.js';
import { createGraphClient, type GraphClient } from '../src/graph/client.js';
import type { Timing } from '../src/machines/timing.js';
import { observedGraph } from '../src/polling/observed-graph.js';
import type { PollHistory } from '../src/polling/poll-history.js';
import { DEFAULT_ACCOUNT, startSimulator, type ScenarioInput } from '../src/sim/simulator.js';
import type { ContainerParams } from '../src/spec/graph-container-params.js';
import { VirtualClock } from '../src/time/virtual-clock.js';
import { heldDispatcher } from '../test/support/held.js';

/** The media kinds the polling bench measures. */
export type BenchKind = 'image' | 'video';

/** One container as the simulator saw it: how long it processed, how often it was read, and how late the read that saw it FINISHED came. */
export interface ContainerSeen {
  readonly processingMs: number;
  readonly reads: number;
  readonly lagMs: number;
}

/** What one run of containers left in the simulator's record. */
export interface RunSeen {
  readonly containers: readonly ContainerSeen[];
  /** Reads of one container closer than the unit (the simulator's `poll-too-fast`). */
  readonly tooFast: number;
}

const paramsOf = (kind: BenchKind, n: number): ContainerParams =>
  kind === 'image' ? { image_url: `https://cdn.example/${n}.jpg` } : { media_type: 'REELS', video_url: `https://cdn.example/${n}.mp4` };

/**
 * Runs `count` containers of `kind`, one after another, through the real
 * container machine on `timing`, against the real simulator over loopback
 * on a VirtualClock (no real waiting), the simulator drawing processing
 * times from `scenario` in creation order: the same seed gives every
 * schedule the same containers. With `history`, the client is watched as
 * the engine watches it, so the history learns from every read. Judged by
 * the simulator's record alone.
 */
export async function runContainers(kind: BenchKind, count: number, timing: Timing, scenario: ScenarioInput, history?: PollHistory): Promise<RunSeen> {
  const clock = new VirtualClock();
  const sim = await startSimulator({ clock, scenario });
  const dispatcher = heldDispatcher(clock);
  const client = createGraphClient({ accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url, dispatcher });
  const graph: GraphClient = history === undefined ? client : observedGraph(client, history, () => clock.now());
  try {
    const { container } = provideEffects({ clock, timing, graphFor: () => graph });
    for (let n = 0; n < count; n += 1) {
      const actor = createActor(container, { input: { postId: `p${n}`, account: DEFAULT_ACCOUNT.igUserId, role: 'single', params: paramsOf(kind, n), media: kind } });
      actor.start();
      const output = await clock.run(toPromise(actor));
      if (output.outcome !== 'finished') throw new Error(`container ${n} ended ${output.outcome}`);
    }
    const reads = new Map<string, number[]>();
    for (const request of sim.record.requestsTo('status')) {
      const id = request.path.slice(request.path.lastIndexOf('/') + 1);
      const list = reads.get(id) ?? [];
      list.push(request.at);
      reads.set(id, list);
    }
    const containers = sim.record.containers.map((c): ContainerSeen => {
      const at = reads.get(c.id) ?? [];
      const seenAt = at.find((t) => t >= c.readyAt);
      if (seenAt === undefined) throw new Error(`container ${c.id} was never seen FINISHED`);
      return { processingMs: c.readyAt - c.createdAt, reads: at.length, lagMs: seenAt - c.readyAt };
    });
    return { containers, tooFast: sim.record.violationsOf('poll-too-fast').length };
  } finally {
    await client.close();
    await sim.close();
    await dispatcher.close();
  }
}
