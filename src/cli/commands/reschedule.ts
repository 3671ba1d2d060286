import { systemClock } from '../../time/clock.js';
import { reschedulePost } from '../../manage/reschedule.js';
import { PublishAt } from '../../spec/fields.js';
import type { CommandLine } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { openStore } from '../open-store.js';
import { manageOutcome } from './manage-output.js';

/**
 * `igflow reschedule <id|postId> <time>`: moves a post's publishAt under
 * the rule of `igflow cancel` (until its media_publish may be on its way,
 * whoever holds it). Exit 0 moved; 1 too late (`publishing`, `published`;
 * the last line says which), failed or cancelled; 2 unknown post or not a time.
 */
export async function rescheduleCommand(cmd: CommandLine, io: CliIo): Promise<ExitCode> {
  const [name, time, ...rest] = cmd.positionals;
  if (name === undefined || time === undefined || rest.length > 0) throw new CliError('igflow reschedule takes a post (its id or post id) and an ISO-8601 time', ExitCode.invalid, 'For example: igflow reschedule launch-day 2026-03-01T09:00:00Z');
  const parsed = PublishAt.safeParse(time);
  if (!parsed.success) throw new CliError(`${JSON.stringify(time)} is not an ISO-8601 time with an offset (2026-03-01T09:00:00Z)`, ExitCode.invalid);
  const store = openStore(cmd.options.store, { create: false });
  try {
    const result = await reschedulePost(store.posts, systemClock, name, Date.parse(parsed.data));
    const at = new Date(systemClock.now()).toISOString();
    if (result.rescheduled) {
      const publishAt = new Date(result.publishAt).toISOString();
      return manageOutcome(io, cmd.options.json, ExitCode.published, { type: 'rescheduled', postId: result.postId, at, publishAt }, `${name}: rescheduled for ${publishAt}`);
    }
    return manageOutcome(io, cmd.options.json, result.reason === 'unknown' ? ExitCode.invalid : ExitCode.failed, { type: 'not-rescheduled', postId: result.postId ?? null, at, reason: result.reason, message: result.message }, `${name}: not rescheduled (${result.reason}): ${result.message}`);
  } finally {
    await store.close();
  }
}
