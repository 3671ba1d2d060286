/** The CLI's exit codes (README, *The CLI*). */
export const ExitCode = {
  /** Every post is published. */
  published: 0,
  /** A post failed for good; the last event says why. */
  failed: 1,
  /** Invalid input; nothing was sent. */
  invalid: 2,
  /** Not finished yet, but safely resumable (interrupted, or waiting on the daily quota). */
  resumable: 75,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure the CLI reports in one line (plus a remedy) and exits with, never with a stack trace. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly remedy?: string,
  ) {
    super(message);
  }
}
