import { describe, postLabel, type Reporter } from './reporter.js';

/** Plain lines for logs and pipes (no TTY): one line per event, with the time; an upload's progress once per tenth. */
export function lineReporter(out: NodeJS.WritableStream = process.stdout): Reporter {
  const keys = new Map<string, string | null>();
  const tenths = new Map<string, number>();
  return {
    event(event) {
      if (event.type === 'accepted' || event.type === 'resumed') keys.set(event.postId, event.key);
      if (event.type === 'upload') {
        const tenth = event.total === 0 ? 10 : Math.floor((event.sent / event.total) * 10);
        if (tenths.get(event.containerId) === tenth) return;
        tenths.set(event.containerId, tenth);
      }
      out.write(`${event.at} ${postLabel(event.postId, keys.get(event.postId))}: ${describe(event)}\n`);
    },
    message: (text) => out.write(`${text}\n`),
    close: () => undefined,
  };
}
