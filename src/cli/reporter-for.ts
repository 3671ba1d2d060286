import type { CliIo } from './cli-io.js';
import { jsonReporter } from './report/json-reporter.js';
import { lineReporter } from './report/line-reporter.js';
import type { Reporter } from './report/reporter.js';

/** `--json` → NDJSON; a terminal → live progress (loaded only then); anything else → plain lines. */
export async function reporterFor(io: CliIo, json: boolean): Promise<Reporter> {
  if (json) return jsonReporter(io.stdout, io.stderr);
  if (!io.stdout.isTTY) return lineReporter(io.stdout);
  const { liveReporter } = await import('./report/live-reporter.js');
  return liveReporter(io.stdout);
}
