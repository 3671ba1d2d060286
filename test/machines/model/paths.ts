import { getAdjacencyMap, getShortestPaths, getSimplePaths, type StatePath } from '@xstate/graph';
import { __unsafe_getAllOwnEventDescriptors, type AnyMachineSnapshot, type AnyStateMachine, type EventObject } from 'xstate';
import type { Directive, Variant } from './directive.js';

/** One generated path, ready to run. */
export interface GeneratedPath {
  readonly name: string;
  readonly directives: readonly Directive[];
  /** The state values along the path (JSON), consecutive repeats collapsed. */
  readonly states: readonly string[];
}

/** How to explore one machine. */
export interface PathOptions {
  readonly input: unknown;
  readonly variants: readonly Variant[];
  /** Context fields that guards count on (bounded by small limits in the input), part of the state identity. */
  readonly counters: (context: Record<string, unknown>) => unknown[];
  /** Drops paths the real world cannot produce (a step that contradicts an earlier one). */
  readonly realistic?: (labels: readonly string[]) => boolean;
}

/** The paths chosen to run, and how many candidates each generator gave. */
export interface PathSet {
  readonly shortest: number;
  readonly simple: number;
  readonly edges: number;
  readonly paths: readonly GeneratedPath[];
}

type Adjacency = Record<string, { state: AnyMachineSnapshot; transitions: Record<string, { event: EventObject; state: AnyMachineSnapshot }> }>;

interface Step {
  readonly from: AnyMachineSnapshot;
  readonly event: EventObject;
  readonly to: AnyMachineSnapshot;
}

const collapse = (values: readonly string[]) => values.filter((v, i) => v !== values[i - 1]);
const valueOf = (s: AnyMachineSnapshot) => JSON.stringify(s.value);

/** Shortest ways into each state (from the start) and out of it (to a final state), over an adjacency map. */
function routes(adjacency: Adjacency, start: string, serialize: (s: AnyMachineSnapshot) => string) {
  const into = new Map<string, Step[]>([[start, []]]);
  const queue = [start];
  for (let u = queue.shift(); u !== undefined; u = queue.shift()) {
    for (const { event, state } of Object.values(adjacency[u]?.transitions ?? {})) {
      const v = serialize(state);
      if (into.has(v)) continue;
      into.set(v, [...into.get(u)!, { from: adjacency[u]!.state, event, to: state }]);
      queue.push(v);
    }
  }
  const incoming = new Map<string, Array<{ u: string; step: Step }>>();
  for (const [u, { state, transitions }] of Object.entries(adjacency)) {
    for (const { event, state: to } of Object.values(transitions)) {
      const v = serialize(to);
      incoming.set(v, [...(incoming.get(v) ?? []), { u, step: { from: state, event, to } }]);
    }
  }
  const out = new Map<string, Step[]>();
  const back: string[] = [];
  for (const [v, { state }] of Object.entries(adjacency)) {
    if (state.status === 'done') {
      out.set(v, []);
      back.push(v);
    }
  }
  for (let v = back.shift(); v !== undefined; v = back.shift()) {
    for (const { u, step } of incoming.get(v) ?? []) {
      if (out.has(u)) continue;
      out.set(u, [step, ...out.get(v)!]);
      back.push(u);
    }
  }
  return { into, out };
}

const fromStatePath = (path: StatePath<AnyMachineSnapshot, EventObject>): Step[] =>
  path.steps.slice(1).map((s, i) => ({ from: path.steps[i]!.state, event: s.event, to: s.state }));

/**
 * Generates paths to final states with @xstate/graph and keeps the ones
 * worth running. Candidates: the shortest path to every final state over
 * (state, counters), so bounded retries get exhausted; one path through
 * every edge of that graph (shortest way in, the edge, shortest way out),
 * so every transition, self-loops included, is taken; and the simple paths
 * over states alone, so orders of distinct steps are tried. A candidate is
 * kept when one of its steps (state, event variant, next state) is new.
 */
export function generatePaths(machine: AnyStateMachine, options: PathOptions): PathSet {
  const byEvent = new Map<EventObject, Variant>(options.variants.map((v) => [v.event, v]));
  const events = (state: AnyMachineSnapshot) => {
    const own: readonly string[] = __unsafe_getAllOwnEventDescriptors(state);
    const handles = (type: string) => own.some((d) => d === type || (d.endsWith('.*') && type.startsWith(d.slice(0, -1))));
    const snapshot = state as unknown as Parameters<NonNullable<Variant['when']>>[0];
    return options.variants.filter((v) => handles(v.event.type) && (v.when === undefined || v.when(snapshot))).map((v) => v.event);
  };
  const withCounters = (s: AnyMachineSnapshot) => JSON.stringify([s.value, s.status, ...options.counters(s.context as Record<string, unknown>)]);
  const counted = { events, input: options.input, serializeState: withCounters } as never;
  const shortest = (getShortestPaths(machine, counted) as StatePath<AnyMachineSnapshot, EventObject>[]).filter((p) => p.state.status === 'done');
  const simple = (
    getSimplePaths(machine, { events, input: options.input, serializeState: (s: AnyMachineSnapshot) => JSON.stringify([s.value, s.status]) } as never) as StatePath<
      AnyMachineSnapshot,
      EventObject
    >[]
  ).filter((p) => p.state.status === 'done');
  const adjacency = getAdjacencyMap(machine, counted) as unknown as Adjacency;
  const start = shortest[0]?.steps[0]?.state;
  if (start === undefined) throw new Error(`no path of ${machine.id} reaches a final state`);
  const { into, out } = routes(adjacency, withCounters(start), withCounters);
  const edgePaths: Step[][] = [];
  for (const [u, { transitions }] of Object.entries(adjacency)) {
    const prefix = into.get(u);
    if (prefix === undefined) continue;
    for (const { event, state } of Object.values(transitions)) {
      const suffix = out.get(withCounters(state));
      if (suffix !== undefined) edgePaths.push([...prefix, { from: adjacency[u]!.state, event, to: state }, ...suffix]);
    }
  }

  const taken = new Set<string>();
  const paths: GeneratedPath[] = [];
  for (const steps of [...shortest.map(fromStatePath), ...edgePaths, ...simple.map(fromStatePath)]) {
    const variants = steps.map((s) => byEvent.get(s.event));
    if (variants.some((v) => v === undefined)) throw new Error('a path step has an event that is not a variant');
    const labels = variants.map((v) => v!.label);
    if (options.realistic && !options.realistic(labels)) continue;
    const keys = steps.map((s, i) => `${valueOf(s.from)}|${labels[i]}|${valueOf(s.to)}`);
    if (keys.every((k) => taken.has(k)) && (keys.length > 0 || taken.has('(no steps)'))) continue;
    if (keys.length === 0) taken.add('(no steps)');
    keys.forEach((k) => taken.add(k));
    paths.push({
      name: labels.join(' → '),
      directives: variants.map((v, i) => ({ ...v!.arrange, popOn: v!.event.type, label: v!.label, at: valueOf(steps[i]!.from) })),
      states: collapse([valueOf(start), ...steps.map((s) => valueOf(s.to))]),
    });
  }
  return { shortest: shortest.length, simple: simple.length, edges: edgePaths.length, paths };
}
