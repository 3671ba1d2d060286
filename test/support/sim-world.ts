import { createActor, toPromise, type AnyActorLogic, type InspectionEvent } from 'xstate';
import { createGraphClient, type GraphClient } from '../../src/graph/client.js';
import { provideEffects, type ProvidedMachines } from '../../src/effects/provide-effects.js';
import { DEFAULT_ACCOUNT, startSimulator, type ScenarioInput, type Simulator } from '../../src/sim/simulator.js';
import type { Timing } from '../../src/machines/timing.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { heldDispatcher } from './held.js';

/** A simulator on a virtual clock, a Graph client pointed at it, and the machines with real effects. */
export interface SimWorld {
  readonly clock: VirtualClock;
  readonly sim: Simulator;
  readonly graph: GraphClient;
  readonly machines: ProvidedMachines;
  readonly account: string;
  readonly token: string;
  /** Runs a machine from `input` to its end on virtual time, started as the runner starts a new post; resolves to its output. */
  run(logic: AnyActorLogic, input: unknown, inspect?: (event: InspectionEvent) => void): Promise<unknown>;
  close(): Promise<void>;
}

/** Starts a {@link SimWorld} with a scenario; its machines run on `timing` (default: the standard timing). */
export async function startSimWorld(scenario: ScenarioInput = {}, timing?: Timing): Promise<SimWorld> {
  const clock = new VirtualClock();
  const sim = await startSimulator({ clock, scenario });
  const dispatcher = heldDispatcher(clock);
  const graph = createGraphClient({ accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url, dispatcher });
  const machines = provideEffects({ clock, graphFor: () => graph, ...(timing === undefined ? {} : { timing }) });
  return {
    clock,
    sim,
    graph,
    machines,
    account: DEFAULT_ACCOUNT.igUserId,
    token: DEFAULT_ACCOUNT.token,
    async run(logic, input, inspect) {
      const actor = createActor(logic, { input, inspect });
      actor.start();
      // a new post starts when its runner says START (other machines ignore it)
      actor.send({ type: 'START' });
      return clock.run(toPromise(actor) as Promise<unknown>);
    },
    async close() {
      await graph.close();
      await sim.close();
      await dispatcher.close();
    },
  };
}
