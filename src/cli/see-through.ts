import type { Engine } from '../engine/engine.js';
import type { EngineEvent } from '../engine/engine-events.js';
import { PostFailed } from '../engine/post-errors.js';
import type { PostHandle } from '../engine/post-handle.js';
import type { CliIo } from './cli-io.js';
import { ExitCode } from './exit-codes.js';
import type { Reporter } from './report/reporter.js';

/**
 * Waits for posts to end and turns their outcomes into the exit code: 0 when
 * all are published, 1 when any failed for good, 75 when any is left
 * resumable (a stop signal, or every post still running waits on the daily
 * quota: the CLI stops rather than sleep for hours; `igflow resume` picks
 * them up).
 */
export async function seeThrough(engine: Engine, handles: readonly PostHandle[], reporter: Reporter, io: CliIo): Promise<ExitCode> {
  const pending = new Set(handles.map((h) => h.postId));
  const waitingOnQuota = new Set<string>();
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= engine.shutdown());
  const watch = engine.events$.subscribe((event: EngineEvent) => {
    if (event.type === 'waiting' && event.reason === 'quota') waitingOnQuota.add(event.postId);
    else if (event.type === 'resumed' || event.type === 'state') waitingOnQuota.delete(event.postId);
    if (pending.size > 0 && [...pending].every((id) => waitingOnQuota.has(id))) {
      reporter.message('Only posts waiting on the daily publishing quota remain: stopping. Run `igflow resume` later.');
      void stop();
    }
  });
  const unlisten = io.onStopSignal((signal) => {
    reporter.message(`${signal}: storing every post and stopping (resume with \`igflow resume\`).`);
    void stop();
  });
  const outcomes = await Promise.all(
    handles.map((handle) =>
      handle.result.then(
        () => ExitCode.published,
        (err: unknown) => (err instanceof PostFailed ? ExitCode.failed : ExitCode.resumable),
      ).finally(() => pending.delete(handle.postId)),
    ),
  );
  watch.unsubscribe();
  unlisten();
  await stop();
  if (outcomes.includes(ExitCode.failed)) return ExitCode.failed;
  if (outcomes.includes(ExitCode.resumable)) return ExitCode.resumable;
  return ExitCode.published;
}
