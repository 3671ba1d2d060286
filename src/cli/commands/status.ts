import { quoted } from '../../adapters/printable.js';
import { describePost } from '../../views/describe-post.js';
import { MissingSchemaError } from '../../adapters/postgres/schema-check.js';
import type { Listing, PostQuery, Store } from '../../adapters/store.js';
import type { CommandLine } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { openStore } from '../open-store.js';
import { shownStoreLocation } from '../store-location.js';
import { exitCodeWithUnreadable, problemLine, unreadableSummary } from '../unreadable-posts.js';

/** Every post of the store; a store that is not there, or cannot be read, is a one-line CliError naming it (password masked). */
async function listStore(store: Store, where: string, query: PostQuery): Promise<Listing> {
  try {
    return await store.posts.list(query);
  } catch (error) {
    if (error instanceof MissingSchemaError) {
      throw new CliError(`no igflow store at ${where}: schema ${quoted(error.schema)} does not exist, and status creates nothing (igflow publish, resume and work create it)`, ExitCode.invalid);
    }
    const why = error instanceof Error ? error.message : String(error);
    throw new CliError(`cannot read the store at ${where}: ${why}`, ExitCode.failed, 'Check the --store location (for PostgreSQL: the server, the database and the schema).');
  }
}

/**
 * `igflow status`: every post in the store (or those matching --state,
 * --account, --key, --from and --to: one store query), where it is and why it waits.
 * It opens the store without creating anything (no directory, no schema,
 * no migration). Exits 0; 1 when some posts could not be read (each is
 * named on stderr, by its idempotency key when known, with what is wrong
 * with it) or the store cannot be read; 2 when a PostgreSQL schema is not there.
 */
export async function statusCommand(cmd: CommandLine, io: CliIo): Promise<ExitCode> {
  if (cmd.positionals.length > 0) throw new CliError('igflow status takes no arguments', ExitCode.invalid);
  const where = shownStoreLocation(cmd.options.store);
  const store = openStore(cmd.options.store, { create: false });
  try {
    const { state, account, key, from, to } = cmd.options;
    const query: PostQuery = {
      ...(state === undefined ? {} : { state }),
      ...(account === undefined ? {} : { account }),
      ...(key === undefined ? {} : { key }),
      ...(from === undefined ? {} : { from: Date.parse(from) }),
      ...(to === undefined ? {} : { to: Date.parse(to) }),
    };
    const filtered = Object.keys(query).length > 0;
    const { posts, problems } = await listStore(store, where, query);
    for (const post of posts) {
      const { snapshot: _snapshot, ...view } = post;
      io.stdout.write(cmd.options.json ? `${JSON.stringify(view)}\n` : `${(post.key ?? post.postId).padEnd(28)} ${post.machine.padEnd(8)} ${describePost(post)}\n`);
    }
    for (const problem of problems) io.stderr.write(`igflow: ${problemLine(problem)}\n`);
    if (problems.length > 0) io.stderr.write(`${unreadableSummary(problems).join('\n')}\n`);
    if (posts.length === 0 && problems.length === 0 && !cmd.options.json) io.stdout.write(filtered ? `No posts in ${where} match.\n` : `No posts in ${where}.\n`);
    return exitCodeWithUnreadable(ExitCode.published, problems);
  } finally {
    await store.close();
  }
}
