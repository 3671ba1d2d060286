import { z } from 'zod';

/**
 * One actor of an XState persisted snapshot, as the engine stores it in a
 * post's envelope: its state value, its context and its invoked children.
 * Read loosely (anything else is ignored), so a view never breaks on a
 * snapshot it does not fully understand.
 */
export interface SnapshotNode {
  readonly status?: string | undefined;
  readonly value?: unknown;
  readonly context?: Readonly<Record<string, unknown>> | undefined;
  readonly input?: unknown;
  readonly children: Readonly<Record<string, { readonly src?: string | undefined; readonly snapshot: SnapshotNode }>>;
}

const Node: z.ZodType<SnapshotNode> = z.lazy(() =>
  z.object({
    status: z.string().optional(),
    value: z.unknown().optional(),
    context: z.record(z.string(), z.unknown()).optional(),
    input: z.unknown().optional(),
    children: z.record(z.string(), z.object({ src: z.string().optional(), snapshot: Node })).catch({}).default({}),
  }),
);

/** A stored snapshot as a tree of actors; undefined when there is none (a compacted post) or it has another shape. */
export function snapshotTree(snapshot: unknown): SnapshotNode | undefined {
  const parsed = Node.safeParse(snapshot);
  return parsed.success ? parsed.data : undefined;
}

/** A state value as a dotted path of its first region: `{ preparing: 'carousel' }` → `preparing.carousel`. */
export function statePath(value: unknown): string | undefined {
  const parts: string[] = [];
  let at = value;
  while (typeof at === 'object' && at !== null) {
    const [first] = Object.entries(at);
    if (first === undefined) break;
    parts.push(first[0]);
    at = first[1];
  }
  if (typeof at === 'string') parts.push(at);
  return parts.length === 0 ? undefined : parts.join('.');
}

/** The invoked child `id` of a node, with the key its machine is registered under. */
export function childOf(node: SnapshotNode | undefined, id: string): SnapshotNode['children'][string] | undefined {
  return node?.children[id];
}

/** A number in a node's context, when it is one. */
export function contextNumber(node: SnapshotNode | undefined, key: string): number | undefined {
  const value = node?.context?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A string in a node's context, when it is one. */
export function contextString(node: SnapshotNode | undefined, key: string): string | undefined {
  const value = node?.context?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** A running wait somewhere in the tree: until when, and the actor (machine key and state path) that waits. */
export interface RunningWait {
  readonly until: number;
  /** The machine key of the waiting actor (`post`, `container`, `story`…). */
  readonly machine: string;
  /** The waiting actor's state path. */
  readonly path: string;
}

/** Every `wait` actor still running in the tree (its input carries its deadline), outermost first. */
export function runningWaits(root: SnapshotNode, rootMachine: string): RunningWait[] {
  const waits: RunningWait[] = [];
  const visit = (node: SnapshotNode, machine: string): void => {
    for (const child of Object.values(node.children)) {
      const input = child.snapshot.input;
      const until = typeof input === 'object' && input !== null && 'wakeAt' in input && typeof input.wakeAt === 'number' ? input.wakeAt : undefined;
      if (child.src === 'wait' && until !== undefined && child.snapshot.status !== 'done') waits.push({ until, machine, path: statePath(node.value) ?? '' });
    }
    for (const child of Object.values(node.children)) if (child.src !== 'wait') visit(child.snapshot, child.src ?? 'unknown');
  };
  visit(root, rootMachine);
  return waits;
}
