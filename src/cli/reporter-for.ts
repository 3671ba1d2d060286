import type { CliIo } from './cli-io.js';
import { jsonReporter } from './report/json-reporter.js';
import { lineReporter } from './report/line-reporter.js';
import { liveReporter } from './report/live-reporter.js';
import type { Reporter } from './report/reporter.js';

/** `--json` → NDJSON; a terminal → live progress; anything else → plain lines. */
export function reporterFor(io: CliIo, json: boolean): Reporter {
  if (json) return jsonReporter(io.stdout, io.stderr);
  return io.stdout.isTTY ? liveReporter(io.stdout) : lineReporter(io.stdout);
}
