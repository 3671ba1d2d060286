import type { AnyStateMachine, InspectionEvent, StateValue } from 'xstate';

interface NodeLike {
  readonly id: string;
  readonly states: Record<string, NodeLike>;
  readonly transitions: Map<string, readonly TransitionLike[]>;
  readonly always?: readonly TransitionLike[] | undefined;
}
interface TransitionLike {
  readonly source: NodeLike;
  readonly eventType: string;
}

const transitionKey = (t: TransitionLike): string => {
  const always = t.source.always ?? [];
  const alwaysIndex = always.indexOf(t);
  if (alwaysIndex >= 0) return `${t.source.id} ~always#${alwaysIndex}`;
  const index = (t.source.transitions.get(t.eventType) ?? []).indexOf(t);
  return `${t.source.id} ~${t.eventType}#${index}`;
};

function walk(node: NodeLike, states: Set<string>, transitions: Set<string>): void {
  states.add(node.id);
  for (const list of node.transitions.values()) for (const t of list) transitions.add(transitionKey(t));
  for (const t of node.always ?? []) transitions.add(transitionKey(t));
  for (const child of Object.values(node.states)) walk(child, states, transitions);
}

/** The ids of the state nodes a state value is in (`post.preparing`, `post.preparing.single`…). */
export function stateIds(machineId: string, value: StateValue): string[] {
  if (typeof value === 'string') return [`${machineId}.${value}`];
  return Object.entries(value).flatMap(([key, sub]) => [`${machineId}.${key}`, ...(sub === undefined ? [] : stateIds(`${machineId}.${key}`, sub))]);
}

/** One machine's coverage: what it has, and what the runs reached. */
export interface MachineCoverage {
  readonly machine: string;
  readonly states: { readonly seen: number; readonly total: number; readonly missing: readonly string[] };
  readonly transitions: { readonly seen: number; readonly total: number; readonly missing: readonly string[] };
}

/**
 * State and transition coverage of machine definitions, measured from the
 * inspection stream of real runs (every actor of the system, nested ones
 * included): a state counts when a snapshot is in it or a transition leaves
 * it; a transition counts when a microstep takes it.
 */
export class Coverage {
  private readonly targets = new Map<string, { states: Set<string>; transitions: Set<string> }>();
  private readonly seen = new Map<string, { states: Set<string>; transitions: Set<string> }>();

  constructor(machines: readonly AnyStateMachine[]) {
    for (const machine of machines) {
      const states = new Set<string>();
      const transitions = new Set<string>();
      walk(machine.root, states, transitions);
      this.targets.set(machine.id, { states, transitions });
      this.seen.set(machine.id, { states: new Set([machine.id]), transitions: new Set() });
    }
  }

  /** Feeds one inspection event. */
  record(event: InspectionEvent): void {
    if (event.type !== '@xstate.microstep' && event.type !== '@xstate.snapshot') return;
    const snapshot = event.snapshot as { machine?: { id: string }; value?: StateValue };
    const machineId = snapshot.machine?.id;
    const seen = machineId === undefined ? undefined : this.seen.get(machineId);
    if (seen === undefined || machineId === undefined || snapshot.value === undefined) return;
    for (const id of stateIds(machineId, snapshot.value)) seen.states.add(id);
    if (event.type === '@xstate.microstep') {
      for (const t of event._transitions as unknown as readonly TransitionLike[]) {
        seen.transitions.add(transitionKey(t));
        seen.states.add(t.source.id);
      }
    }
  }

  /** The coverage of one machine. */
  of(machineId: string): MachineCoverage {
    const target = this.targets.get(machineId);
    const seen = this.seen.get(machineId);
    if (target === undefined || seen === undefined) throw new Error(`no coverage for machine ${machineId}`);
    const missingStates = [...target.states].filter((s) => !seen.states.has(s));
    const missingTransitions = [...target.transitions].filter((t) => !seen.transitions.has(t));
    return {
      machine: machineId,
      states: { seen: target.states.size - missingStates.length, total: target.states.size, missing: missingStates },
      transitions: { seen: target.transitions.size - missingTransitions.length, total: target.transitions.size, missing: missingTransitions },
    };
  }
}
