import { InvalidPostSpec } from './invalid-post-spec.js';
import type { SpecIssue } from './issues.js';
import { toSpecIssues } from './issues.js';
import type { Login, PostSpec } from './post-spec.js';
import { postSpecSchema } from './post-spec.js';
import { facebookOnlyIssues } from './facebook-only.js';

/** Options of {@link validatePostSpec} and {@link parsePostSpec}. */
export interface ValidateOptions {
  /** The account's login; decides whether branded-content fields are allowed. Default `'instagram'`. */
  readonly login?: Login;
}

/** The outcome of {@link validatePostSpec}: the parsed spec, or every problem at once. */
export type ValidationResult = { readonly ok: true; readonly spec: PostSpec } | { readonly ok: false; readonly issues: SpecIssue[] };

const maxReasonLength = 200;

function describeThrown(thrown: unknown): string {
  try {
    const text = thrown instanceof Error ? thrown.message : String(thrown);
    return text.length > maxReasonLength ? `${text.slice(0, maxReasonLength)}…` : text;
  } catch {
    return 'an unprintable error';
  }
}

/**
 * Validates untrusted input (parsed JSON or any value) as a post spec. Never
 * throws: a value that throws while being read (a getter, a proxy) is reported
 * as a `(root)` issue. A failure lists every problem with its path.
 */
export function validatePostSpec(input: unknown, options?: ValidateOptions): ValidationResult {
  let login: unknown;
  try {
    login = options?.login ?? 'instagram';
  } catch (thrown) {
    return { ok: false, issues: [{ path: '(options).login', message: `could not read: ${describeThrown(thrown)}` }] };
  }
  if (login !== 'instagram' && login !== 'facebook') {
    return { ok: false, issues: [{ path: '(options).login', message: 'login must be "instagram" or "facebook"' }] };
  }
  try {
    const result = postSpecSchema(login).safeParse(input);
    const loginIssues = login === 'instagram' ? facebookOnlyIssues(input) : [];
    const issues = [...(result.success ? [] : toSpecIssues(result.error.issues)), ...loginIssues];
    return result.success && issues.length === 0 ? { ok: true, spec: result.data } : { ok: false, issues };
  } catch (thrown) {
    return { ok: false, issues: [{ path: '(root)', message: `the spec could not be read: ${describeThrown(thrown)}` }] };
  }
}

/** Like {@link validatePostSpec}, but returns the spec or throws {@link InvalidPostSpec} listing every problem. */
export function parsePostSpec(input: unknown, options?: ValidateOptions): PostSpec {
  const result = validatePostSpec(input, options);
  if (!result.ok) throw new InvalidPostSpec(result.issues);
  return result.spec;
}
