/** A function found in a machine's config, as the Stately inspector should see it: a named placeholder. */
export interface InlinePlaceholder {
  readonly type: string;
  /** The guards a combinator (`and`, `or`, `not`) combines, each a name or a placeholder. */
  readonly guards?: readonly unknown[];
}

type Path = readonly (string | number)[];

const isFunction = (value: unknown): value is (...args: never[]) => unknown => typeof value === 'function';

/** Where a function sits in a machine config: `<machine>.<state>…/<key path>`, e.g. `post.preparing/on.CONTAINER_DONE[0].guard`. */
export function inlineLocation(machineId: string, path: Path): string {
  const states: string[] = [machineId];
  let i = 0;
  while (path[i] === 'states' && typeof path[i + 1] === 'string') {
    states.push(path[i + 1] as string);
    i += 2;
  }
  const rest = path.slice(i).reduce<string>((out, part) => (typeof part === 'number' ? `${out}[${part}]` : out === '' ? part : `${out}.${part}`), '');
  return `${states.join('.')}/${rest}`;
}

/**
 * What a function in a machine config becomes, following XState's own
 * serialisation (`StateNode.definition`): a built-in action (`assign`,
 * `emit`, `raise`, …) is `{ type: 'xstate.assign' }`; a guard combinator
 * is `{ type: 'xstate.and', guards: [...] }` with its parts in turn; any
 * other inline function is `{ type: 'inline:<location>' }` (see
 * {@link inlineLocation}), so a transition guarded inline still shows a
 * guard, and the chart the inspector draws is the machine's.
 */
export function inlinePlaceholder(fn: (...args: never[]) => unknown, location: string, part: (value: unknown, index: number) => unknown): InlinePlaceholder {
  const props = fn as unknown as { readonly type?: unknown; readonly resolve?: unknown; readonly check?: unknown; readonly guards?: unknown };
  if (isFunction(props.resolve) && typeof props.type === 'string') return { type: props.type };
  if (isFunction(props.check)) {
    const kind = fn.name === '' ? 'guard' : fn.name;
    return Array.isArray(props.guards) ? { type: `xstate.${kind}`, guards: props.guards.map((guard: unknown, index) => part(guard, index)) } : { type: `xstate.${kind}` };
  }
  return { type: `inline:${location}` };
}
