import { describe, postLabel, type Reporter } from './reporter.js';

/** Plain lines for logs and pipes (no TTY): one line per event, with the time. */
export function lineReporter(out: NodeJS.WritableStream = process.stdout): Reporter {
  const keys = new Map<string, string | null>();
  return {
    event(event) {
      if (event.type === 'accepted' || event.type === 'resumed') keys.set(event.postId, event.key);
      out.write(`${event.at} ${postLabel(event.postId, keys.get(event.postId))}: ${describe(event)}\n`);
    },
    message: (text) => out.write(`${text}\n`),
    close: () => undefined,
  };
}
