import type { SpecIssue } from './issues.js';

/**
 * Thrown for a post spec that fails validation, before any HTTP request.
 * The message lists every issue on its own line as `path: message`.
 */
export class InvalidPostSpec extends Error {
  override readonly name: string = 'InvalidPostSpec';
  /** Callers branch on this, never on the message (style.md). */
  readonly errorClass = 'invalid-input' as const;
  /** Fixing the spec is the only remedy. */
  readonly retryable = false;
  /** What to do about it. */
  readonly remedy: string = 'Fix every listed field of the post spec and submit it again; nothing was sent to Instagram.';
  /** Every problem found, each with its path. */
  readonly issues: readonly SpecIssue[];

  constructor(issues: readonly SpecIssue[]) {
    super(
      [`invalid post spec (${issues.length} ${issues.length === 1 ? 'problem' : 'problems'}):`]
        .concat(issues.map((issue) => `${issue.path}: ${issue.message}`))
        .join('\n'),
    );
    this.issues = Object.freeze([...issues]);
  }

  /** A plain object for events and `--json` output. */
  toJSON(): { name: string; errorClass: 'invalid-input'; retryable: false; message: string; remedy: string; issues: readonly SpecIssue[] } {
    const { name, errorClass, retryable, message, remedy, issues } = this;
    return { name, errorClass, retryable, message, remedy, issues };
  }
}
