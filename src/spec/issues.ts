import type { z } from 'zod';

/** One problem with a post spec: where it is (`items[2].caption`, or `(root)`) and what is wrong. */
export interface SpecIssue {
  /** The field path, like `items[2].caption`; `(root)` for the spec itself. */
  readonly path: string;
  /** What is wrong, in words meant for the author of the spec. */
  readonly message: string;
}

const identifier = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Renders a zod path as `items[2].caption`; the empty path is `(root)`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'symbol') out += `[${String(key)}]`;
    else if (identifier.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out === '' ? '(root)' : out;
}

/** Turns zod issues into spec issues, one per unknown field, each with its full path. */
export function toSpecIssues(issues: readonly z.core.$ZodIssue[]): SpecIssue[] {
  return issues.flatMap((issue): SpecIssue[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: formatPath([...issue.path, key]), message: 'unknown field' }))
      : [{ path: formatPath(issue.path), message: issue.message }],
  );
}
