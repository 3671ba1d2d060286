import { createActor, toPromise, type AnyActorLogic, type InspectionEvent } from 'xstate';
import { createGraphClient, type GraphClient } from '../../src/graph/client.js';
import { provideEffects, type ProvidedMachines } from '../../src/effects/provide-effects.js';
import { DEFAULT_ACCOUNT, startSimulator, type ScenarioInput, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';

/** A simulator on a virtual clock, a Graph client pointed at it, and the machines with real effects. */
export interface SimWorld {
  readonly clock: VirtualClock;
  readonly sim: Simulator;
  readonly graph: GraphClient;
  readonly machines: ProvidedMachines;
  readonly account: string;
  readonly token: string;
  /** Runs a machine from `input` to its end on virtual time; resolves to its output. */
  run(logic: AnyActorLogic, input: unknown, inspect?: (event: InspectionEvent) => void): Promise<unknown>;
  close(): Promise<void>;
}

/** Starts a {@link SimWorld} with a scenario. */
export async function startSimWorld(scenario: ScenarioInput = {}): Promise<SimWorld> {
  const clock = new VirtualClock();
  const sim = await startSimulator({ clock, scenario });
  const graph = createGraphClient({ accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url });
  const machines = provideEffects({ clock, graphFor: () => graph });
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
      return clock.run(toPromise(actor) as Promise<unknown>);
    },
    async close() {
      await graph.close();
      await sim.close();
    },
  };
}
