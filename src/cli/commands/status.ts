import type { PostEnvelope } from '../../adapters/store.js';
import { waitReason } from '../../engine/snapshot-summary.js';
import type { CommandLine } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { openStore } from '../open-store.js';
import { exitCodeWithUnreadable, problemLine, unreadableSummary } from '../unreadable-posts.js';

const describePost = (post: PostEnvelope): string => {
  if (post.status === 'published') return `published, media ${post.result?.mediaId ?? 'id unknown'}`;
  const message = post.result?.error?.message;
  if (post.status === 'failed') return `failed: ${typeof message === 'string' ? message : 'unknown error'}`;
  const waiting = post.wakeAt === undefined ? '' : `, waiting (${waitReason(post.state)}) until ${new Date(post.wakeAt).toISOString()}`;
  const lease = post.lease === undefined ? '' : `, held by ${post.lease.owner} until ${new Date(post.lease.until).toISOString()}`;
  return `${post.state}${waiting}${lease}`;
};

/**
 * `igflow status`: every post in the store, where it is and why it waits.
 * Exits 0, or 1 when some posts could not be read: each is named on stderr
 * (by its idempotency key when known) with what is wrong with it.
 */
export async function statusCommand(cmd: CommandLine, io: CliIo): Promise<ExitCode> {
  if (cmd.positionals.length > 0) throw new CliError('igflow status takes no arguments', ExitCode.invalid);
  const store = openStore(cmd.options.store);
  try {
    const { posts, problems } = await store.listAll();
    for (const post of posts) {
      const { snapshot: _snapshot, ...view } = post;
      io.stdout.write(cmd.options.json ? `${JSON.stringify(view)}\n` : `${(post.key ?? post.postId).padEnd(28)} ${post.machine.padEnd(8)} ${describePost(post)}\n`);
    }
    for (const problem of problems) io.stderr.write(`igflow: ${problemLine(problem)}\n`);
    if (problems.length > 0) io.stderr.write(`${unreadableSummary(problems).join('\n')}\n`);
    if (posts.length === 0 && problems.length === 0 && !cmd.options.json) io.stdout.write(`No posts in ${cmd.options.store}.\n`);
    return exitCodeWithUnreadable(ExitCode.published, problems);
  } finally {
    await store.close();
  }
}
