import { systemClock } from '../../time/clock.js';
import { cancelPost } from '../../manage/cancel.js';
import type { CommandLine } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { openStore } from '../open-store.js';
import { manageOutcome } from './manage-output.js';

/**
 * `igflow cancel <id|postId>`: cancels a post not yet being published,
 * durably, whoever holds it (a `publish`, `resume` or `work` holding it
 * ends it with a `cancelled` event at its next checkpoint, at the latest
 * the one before `media_publish`). Exit 0 cancelled (or already); 1 too
 * late (`publishing` or `published`, the last line says which) or failed
 * for good; 2 unknown post.
 */
export async function cancelCommand(cmd: CommandLine, io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = cmd.positionals;
  if (name === undefined || rest.length > 0) throw new CliError('igflow cancel takes one post: its id (the spec\'s "id") or its post id', ExitCode.invalid, 'Run `igflow status` to see the posts.');
  const store = openStore(cmd.options.store, { create: false });
  try {
    const result = await cancelPost(store.posts, systemClock, name);
    const at = new Date(systemClock.now()).toISOString();
    if (result.cancelled) {
      const cancelledAt = new Date(result.at).toISOString();
      return manageOutcome(io, cmd.options.json, ExitCode.published, { type: 'cancelled', postId: result.postId, at, cancelledAt, already: result.already }, result.already ? `${name}: already cancelled at ${cancelledAt}` : `${name}: cancelled; it will not be published`);
    }
    return manageOutcome(io, cmd.options.json, result.reason === 'unknown' ? ExitCode.invalid : ExitCode.failed, { type: 'not-cancelled', postId: result.postId ?? null, at, reason: result.reason, message: result.message }, `${name}: not cancelled (${result.reason}): ${result.message}`);
  } finally {
    await store.close();
  }
}
