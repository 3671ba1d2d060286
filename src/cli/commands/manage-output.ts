import type { CliIo } from '../cli-io.js';
import type { ExitCode } from '../exit-codes.js';

/**
 * The one line `igflow cancel` and `igflow reschedule` end with: an NDJSON
 * object with `--json` (`type`, `postId`, `at` and what happened), words
 * otherwise (on stderr when the command did not do what was asked).
 */
export function manageOutcome(io: CliIo, json: boolean, code: ExitCode, line: { readonly type: string; readonly postId: string | null; readonly at: string } & Record<string, unknown>, words: string): ExitCode {
  if (json) io.stdout.write(`${JSON.stringify(line)}\n`);
  else (code === 0 ? io.stdout : io.stderr).write(`igflow: ${words}\n`);
  return code;
}
