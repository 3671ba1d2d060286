import type { AnyStateMachine } from 'xstate';
import { escapeHtml } from './escape-html.js';

/** The parts of an XState state node the chart reads (as src/machines/mermaid.ts reads them). */
interface NodeView {
  readonly key: string;
  readonly path: readonly string[];
  readonly type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  readonly states: Readonly<Record<string, NodeView>>;
  readonly transitions: ReadonlyMap<string, readonly { readonly target: readonly NodeView[] | undefined }[]>;
  readonly always?: readonly { readonly target: readonly NodeView[] | undefined }[] | undefined;
  readonly invoke: readonly { readonly src: unknown }[];
  readonly initial: { readonly target: readonly NodeView[] } | undefined;
}

/** Where a state's transitions lead, by key, in definition order, without itself and repeats. */
function targetsOf(node: NodeView): string[] {
  const keys: string[] = [];
  for (const list of [node.always ?? [], ...node.transitions.values()]) {
    for (const transition of list) {
      for (const target of transition.target ?? []) {
        if (target !== node && target.path.length > 0 && !keys.includes(target.key)) keys.push(target.key);
      }
    }
  }
  return keys;
}

function drawNode(node: NodeView, initial: boolean): string {
  const path = node.path.join('.');
  const targets = targetsOf(node);
  const invokes = node.invoke.map((inv) => (typeof inv.src === 'string' ? inv.src : 'inline'));
  const children = Object.values(node.states);
  const first = node.initial?.target[0];
  const inner = children.length === 0 ? '' : `<div class="kids">${children.map((c) => drawNode(c, c === first)).join('')}</div>`;
  const title = [invokes.length > 0 ? `invokes ${invokes.join(', ')}` : '', targets.length > 0 ? `→ ${targets.join(', ')}` : ''].filter(Boolean).join('\n');
  return [
    `<div class="st ${node.type}${initial ? ' initial' : ''}" data-path="${escapeHtml(path)}"${title === '' ? '' : ` title="${escapeHtml(title)}"`}>`,
    `<div class="head"><span class="name">${escapeHtml(node.key)}</span><span class="badges"></span></div>`,
    targets.length === 0 ? '' : `<div class="to">→ ${targets.map(escapeHtml).join(', ')}</div>`,
    inner,
    '</div>',
  ].join('');
}

/**
 * A machine's statechart as nested boxes of HTML, drawn from its
 * definition (the source of docs/machines): one box per state (`data-path`
 * is its dotted path, for the page to highlight), compound states holding
 * their children, the initial state marked, and under each state the
 * states its transitions lead to. Pure and deterministic.
 */
export function machineChart(machine: AnyStateMachine): string {
  const root: NodeView = machine.root;
  const first = root.initial?.target[0];
  return `<div class="chart" data-machine="${escapeHtml(machine.id)}">${Object.values(root.states)
    .map((s) => drawNode(s, s === first))
    .join('')}</div>`;
}
