import type { AnyStateMachine } from 'xstate';

/** The parts of an XState state node the diagram reads. */
interface NodeView {
  readonly key: string;
  readonly id: string;
  readonly path: readonly string[];
  readonly type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  readonly history: false | 'shallow' | 'deep';
  readonly parent?: NodeView | undefined;
  readonly states: Readonly<Record<string, NodeView>>;
  readonly transitions: ReadonlyMap<string, readonly TransitionView[]>;
  readonly always?: readonly TransitionView[] | undefined;
  readonly invoke: readonly { readonly id: string; readonly src: unknown }[];
  readonly initial: { readonly target: readonly NodeView[] } | undefined;
}

/** The parts of an XState transition definition the diagram reads. */
interface TransitionView {
  readonly eventType: string;
  readonly target: readonly NodeView[] | undefined;
  readonly reenter: boolean;
  readonly guard?: unknown;
}

const INDENT = '  ';
/** Words of Mermaid's state diagram syntax that cannot be used as a state id. */
const RESERVED = new Set(['state', 'note', 'end', 'direction', 'class', 'classdef', 'style', 'as', 'click', 'default', 'hide']);

/** The Mermaid id of a state: its path from the root joined by `_`, kept to identifier characters. */
const rawId = (node: NodeView): string => node.path.map((part) => part.replace(/[^A-Za-z0-9_]/g, '_')).join('_');

/** Text safe inside a transition label or description (Mermaid ends those at `#` and `;`). */
const labelText = (text: string): string => text.replace(/[#;\n]/g, ' ').trim();

/** `xstate.done.actor.foo` → `done: foo`, `xstate.error.actor.foo` → `error: foo`, eventless → `always`. */
function eventLabel(eventType: string): string {
  if (eventType === '') return 'always';
  const prefixes: readonly (readonly [string, string])[] = [
    ['xstate.done.actor.', 'done: '],
    ['xstate.error.actor.', 'error: '],
    ['xstate.done.state.', 'done state: '],
  ];
  for (const [prefix, short] of prefixes) if (eventType.startsWith(prefix)) return short + eventType.slice(prefix.length);
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (after) return `after ${after[1]} ms`;
  return eventType;
}

/** A guard's name: a string key, a `{ type }` object, a named function, or `inline` for an anonymous one. */
function guardName(guard: unknown): string | undefined {
  if (guard === undefined || guard === null) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && 'type' in guard && typeof guard.type === 'string') return guard.type;
  if (typeof guard === 'function') {
    // xstate's and()/or()/not() carry the guards they combine.
    const inner = 'guards' in guard && Array.isArray(guard.guards) ? (guard.guards as unknown[]) : undefined;
    const name = guard.name === '' || guard.name === 'guard' ? 'inline' : guard.name;
    return inner ? `${name}(${inner.map((g) => guardName(g) ?? '?').join(', ')})` : name;
  }
  return 'inline';
}

function transitionLabel(transition: TransitionView, target: NodeView | undefined, source: NodeView): string {
  const guard = guardName(transition.guard);
  const parts = [eventLabel(transition.eventType)];
  if (guard !== undefined) parts.push(`[${guard}]`);
  if (target === undefined) parts.push('(no target)');
  else if (transition.reenter && target === source) parts.push('(reenter)');
  return labelText(parts.join(' '));
}

/** The innermost state containing both nodes (a node contains itself). */
function commonAncestor(a: NodeView, b: NodeView): NodeView {
  const ancestors = new Set<NodeView>();
  for (let n: NodeView | undefined = a; n !== undefined; n = n.parent) ancestors.add(n);
  for (let n: NodeView | undefined = b; n !== undefined; n = n.parent) if (ancestors.has(n)) return n;
  return a;
}

/** The block an edge is written in: the innermost state strictly containing both ends. */
function edgeHome(source: NodeView, target: NodeView): NodeView {
  const common = commonAncestor(source, target);
  return (common === source || common === target) && common.parent !== undefined ? common.parent : common;
}

interface Edge {
  readonly from: NodeView;
  readonly to: NodeView;
  readonly label: string;
}

/**
 * Every transition of the machine as edges, grouped by the block they are
 * written in (always-transitions first, then events in definition order).
 * The machine's own transitions, taken from any state, are grouped under
 * `undefined`.
 */
function collectEdges(root: NodeView): Map<NodeView | undefined, Edge[]> {
  const homes = new Map<NodeView | undefined, Edge[]>();
  const visit = (node: NodeView): void => {
    const lists = [node.always ?? [], ...node.transitions.values()];
    for (const list of lists) {
      for (const transition of list) {
        const targets = transition.target === undefined || transition.target.length === 0 ? [undefined] : transition.target;
        for (const target of targets) {
          const to = target ?? node;
          const home = node === root ? undefined : edgeHome(node, to);
          const edges = homes.get(home) ?? [];
          edges.push({ from: node, to, label: transitionLabel(transition, target, node) });
          homes.set(home, edges);
        }
      }
    }
    Object.values(node.states).forEach(visit);
  };
  visit(root);
  return homes;
}

function invokeNote(node: NodeView): string | undefined {
  if (node.invoke.length === 0) return undefined;
  const names = node.invoke.map((inv) => {
    const src = typeof inv.src === 'string' ? inv.src : 'inline';
    return inv.id === src ? src : `${src} (id ${inv.id})`;
  });
  return labelText(`invokes ${names.join(', ')}`);
}

/**
 * Renders a machine definition as a Mermaid `stateDiagram-v2`: every state
 * (compound ones as `state X { … }` blocks, parallel regions split by `--`),
 * the initial arrows, `--> [*]` from final states, every transition labelled
 * with its event (`done: actor`, `error: actor`, `always`, `after N ms`), its
 * guard in brackets and `(reenter)` / `(no target)` where it applies, and
 * `invokes <src>` on each state that invokes an actor; a machine-level
 * transition (taken from any state) is a note on its target. Nested states
 * get the id `parent_child` and their key as label. Pure and deterministic:
 * the order is the definition's. Throws for what it cannot draw: two states
 * that map to one id, or a transition into the machine's root.
 */
export function toMermaid(machine: AnyStateMachine): string {
  const root: NodeView = machine.root;
  const ids = new Map<NodeView, string>();
  const taken = new Map<string, string>();
  const idOf = (node: NodeView): string => {
    const known = ids.get(node);
    if (known !== undefined) return known;
    if (node.path.length === 0) throw new Error(`toMermaid: a transition targets the root of '${node.id}', which has no box to draw`);
    let id = rawId(node);
    if (RESERVED.has(id.toLowerCase()) || /^[0-9]/.test(id)) id = `s_${id}`;
    const other = taken.get(id);
    if (other !== undefined && other !== node.id) throw new Error(`toMermaid: states '${other}' and '${node.id}' would share the Mermaid id '${id}'`);
    taken.set(id, node.id);
    ids.set(node, id);
    return id;
  };
  const edges = collectEdges(root);
  const lines: string[] = ['stateDiagram-v2'];

  const writeChildren = (parent: NodeView, depth: number): void => {
    const pad = INDENT.repeat(depth);
    const children = Object.values(parent.states);
    for (const child of children) {
      const id = idOf(child);
      const label = child.type === 'history' ? (child.history === 'deep' ? 'H*' : 'H') : child.key;
      // A described state shows its description instead of its id unless it is declared with a label.
      const labelled = id !== child.key || child.type === 'history' || child.invoke.length > 0;
      if (labelled) lines.push(`${pad}state "${label.replace(/"/g, "'")}" as ${id}`);
      else if (child.type !== 'compound' && child.type !== 'parallel') lines.push(`${pad}${id}`);
    }
    if (parent.type === 'compound' && parent.initial !== undefined) {
      for (const target of parent.initial.target) lines.push(`${pad}[*] --> ${idOf(target)}`);
    }
    children.forEach((child, index) => {
      const id = idOf(child);
      if (parent.type === 'parallel' && index > 0) lines.push(`${pad}--`);
      if (child.type === 'compound' || child.type === 'parallel') {
        lines.push(`${pad}state ${id} {`);
        writeChildren(child, depth + 1);
        lines.push(`${pad}}`);
      }
      const note = invokeNote(child);
      if (note !== undefined) lines.push(`${pad}${id} : ${note}`);
      if (child.type === 'final') lines.push(`${pad}${id} --> [*]`);
    });
    for (const edge of edges.get(parent) ?? []) lines.push(`${pad}${idOf(edge.from)} --> ${idOf(edge.to)} : ${edge.label}`);
  };

  writeChildren(root, 1);
  for (const edge of edges.get(undefined) ?? []) {
    if (edge.to !== root) lines.push(`${INDENT}note left of ${idOf(edge.to)} : from any state on ${edge.label}`);
  }
  return `${lines.join('\n')}\n`;
}
