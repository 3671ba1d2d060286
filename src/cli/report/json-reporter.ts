import type { Reporter } from './reporter.js';

/** `--json`: one event per line on stdout (NDJSON); the CLI's own messages go to stderr. */
export function jsonReporter(out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Reporter {
  return {
    event: (event) => out.write(`${JSON.stringify(event)}\n`),
    message: (text) => err.write(`${text}\n`),
    close: () => undefined,
  };
}
