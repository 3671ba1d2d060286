import { createMachine, type AnyStateMachine } from 'xstate';

/** One transition as a chart draws it. */
interface ChartEdge {
  readonly event: string;
  readonly targets: readonly string[];
  readonly guard: string | null;
  readonly actions: readonly string[];
  readonly reenter: boolean;
}

/** One state node as a chart draws it. */
interface ChartNode {
  readonly type: string;
  readonly initial: readonly string[];
  readonly children: readonly string[];
  readonly edges: readonly ChartEdge[];
  readonly entry: readonly string[];
  readonly exit: readonly string[];
  readonly invoke: readonly string[];
  readonly tags: readonly string[];
}

interface NodeLike {
  readonly id: string;
  readonly type: string;
  readonly states: Record<string, NodeLike>;
  readonly initial?: { readonly target: readonly { readonly id: string }[] };
  readonly transitions: Map<string, readonly EdgeLike[]>;
  readonly always?: readonly EdgeLike[];
  readonly entry: readonly unknown[];
  readonly exit: readonly unknown[];
  readonly invoke: readonly { readonly id: string; readonly src: unknown }[];
  readonly tags: readonly string[];
}

interface EdgeLike {
  readonly eventType: string;
  readonly target?: readonly { readonly id: string }[];
  readonly guard?: unknown;
  readonly actions: readonly unknown[];
  readonly reenter: boolean;
}

/** A guard's name: a reference, a combinator with its parts, or `inline` for an inline function (live) or its placeholder (received). */
function guardName(guard: unknown): string | null {
  if (guard === undefined || guard === null) return null;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    const fn = guard as { name: string; check?: unknown; guards?: unknown };
    if (typeof fn.check === 'function') return `xstate.${fn.name}(${Array.isArray(fn.guards) ? fn.guards.map(guardName).join(',') : ''})`;
    return 'inline';
  }
  if (typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') {
    if (guard.type.startsWith('inline:')) return 'inline';
    if (guard.type.startsWith('xstate.')) return `${guard.type}(${'guards' in guard && Array.isArray(guard.guards) ? guard.guards.map(guardName).join(',') : ''})`;
    return guard.type;
  }
  return `?${JSON.stringify(guard)}`;
}

/** An action's name: a reference, a built-in's type (`xstate.assign`), or `inline`. */
function actionName(action: unknown): string {
  if (typeof action === 'string') return action;
  if (typeof action === 'function') {
    const fn = action as { name: string; type?: unknown; resolve?: unknown };
    return typeof fn.resolve === 'function' && typeof fn.type === 'string' ? fn.type : 'inline';
  }
  if (typeof action === 'object' && action !== null && 'type' in action && typeof action.type === 'string') return action.type.startsWith('inline:') ? 'inline' : action.type;
  return `?${JSON.stringify(action)}`;
}

const edgeOf = (edge: EdgeLike): ChartEdge => ({
  event: edge.eventType,
  targets: (edge.target ?? []).map((t) => t.id),
  guard: guardName(edge.guard),
  actions: edge.actions.map(actionName),
  reenter: edge.reenter,
});

/** Every state node of a machine by id, with its transitions (guards, actions, targets), invocations, entry/exit actions and tags. */
export function chartOf(machine: AnyStateMachine): Record<string, ChartNode> {
  const out: Record<string, ChartNode> = {};
  const visit = (node: NodeLike) => {
    out[node.id] = {
      type: node.type,
      initial: node.initial?.target.map((t) => t.id) ?? [],
      children: Object.keys(node.states),
      edges: [...[...node.transitions.values()].flat(), ...(node.always ?? [])].map(edgeOf),
      entry: node.entry.map(actionName),
      exit: node.exit.map(actionName),
      invoke: node.invoke.map((i) => `${i.id}:${typeof i.src === 'string' ? i.src : '?'}`),
      tags: [...node.tags],
    };
    for (const child of Object.values(node.states)) visit(child);
  };
  visit(machine.root);
  return out;
}

/** The chart of a definition as an inspector receives it (the JSON of a machine's config): what it would draw. */
export function chartOfDefinition(definition: string): Record<string, ChartNode> {
  return chartOf(createMachine(JSON.parse(definition) as Parameters<typeof createMachine>[0]));
}
