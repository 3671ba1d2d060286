import type { Engine } from '../engine/engine.js';
import { PostCancelled, PostFailed, PostUnavailable } from '../engine/post-errors.js';
import type { PostHandle } from '../engine/post-handle.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-codes.js';
import type { Reporter } from './report/reporter.js';
import type { WaitBook } from './wait-book.js';

/** How `publish` and `resume` wait in the foreground. */
export interface Foreground {
  /** The waits announced so far, subscribed before any post started. */
  readonly waits: WaitBook;
  /** The longest wait the command sits through (`--max-wait`). */
  readonly maxWaitMs: number;
}

/**
 * Waits for posts to end and turns their outcomes into the exit code: 0 when
 * all are published, 1 when any failed for good, was cancelled (or could not be taken up),
 * 75 when any is left resumable: a stop signal, or every post still running
 * must wait longer than `--max-wait` (a later publishAt, the daily quota, a
 * new token, an outage lasting longer): then the command says how each goes
 * on and stops rather than sleep for hours.
 */
export async function seeThrough(engine: Engine, handles: readonly PostHandle[], reporter: Reporter, io: CliIo, foreground: Foreground): Promise<ExitCode> {
  const pending = new Set(handles.map((h) => h.postId));
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= engine.shutdown());
  const checkWaits = () => {
    if (stopping !== undefined || pending.size === 0) return;
    const now = Date.now();
    if (![...pending].every((postId) => foreground.waits.waitsLong(postId, now, foreground.maxWaitMs))) return;
    for (const postId of pending) reporter.message(foreground.waits.describe(postId));
    void stop();
  };
  const watch = engine.events$.subscribe(() => checkWaits());
  const unlisten = io.onStopSignal((signal) => {
    reporter.message(`${signal}: storing every post and stopping (resume with \`igflow resume\`).`);
    void stop();
  });
  checkWaits();
  const outcomes = await Promise.all(
    handles.map((handle) =>
      handle.result
        .then(
          () => ExitCode.published,
          (err: unknown) => (err instanceof PostFailed || err instanceof PostUnavailable || err instanceof PostCancelled ? ExitCode.failed : ExitCode.resumable),
        )
        .finally(() => pending.delete(handle.postId)),
    ),
  );
  watch.unsubscribe();
  unlisten();
  await stop();
  if (outcomes.includes(ExitCode.failed)) return ExitCode.failed;
  if (outcomes.includes(ExitCode.resumable)) return ExitCode.resumable;
  return ExitCode.published;
}
