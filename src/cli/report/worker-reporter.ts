import { WORKER_POST_ID } from '../../engine/engine-events.js';
import type { Reporter } from './reporter.js';

/**
 * The reporter of `igflow work`: a problem of the worker itself (its store
 * unreachable, reachable again) is one line on stderr, `igflow work: …`,
 * whatever the output mode, so that an operator sees it next to the
 * process's other complaints. With `--json` (`keepInStream`) it stays in
 * the NDJSON stream as well, for programs; otherwise it is not repeated on stdout.
 */
export function workerReporter(inner: Reporter, err: NodeJS.WritableStream, keepInStream: boolean): Reporter {
  return {
    event(event) {
      if (event.type === 'problem' && event.postId === WORKER_POST_ID) {
        err.write(`igflow work: ${event.message}\n`);
        if (!keepInStream) return;
      }
      inner.event(event);
    },
    message: (text) => inner.message(text),
    close: () => inner.close(),
  };
}
