import type { CommandLine } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { credentialsFromEnv } from '../credentials.js';
import { engineForCli } from '../engine-for-cli.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { openStore } from '../open-store.js';
import { reporterFor } from '../reporter-for.js';
import { seeThrough } from '../see-through.js';
import { exitCodeWithUnreadable, rememberUnreadable, unreadableSummary } from '../unreadable-posts.js';

/**
 * `igflow resume`: finishes every unfinished post of the store, without a
 * second Instagram post. Posts the store cannot read are reported (engine
 * `problem` events) and left alone; once the others are done, the command
 * names them and exits 1.
 */
export async function resumeCommand(cmd: CommandLine, io: CliIo): Promise<ExitCode> {
  if (cmd.positionals.length > 0) throw new CliError('igflow resume takes no arguments', ExitCode.invalid, 'Usage: igflow resume [--store DIR]');
  const credentials = credentialsFromEnv(io.env);
  const reporter = await reporterFor(io, cmd.options.json);
  const unreadable = rememberUnreadable(openStore(cmd.options.store));
  const store = unreadable.store;
  try {
    const { engine, foreground } = engineForCli(store, credentials, cmd.options, reporter);
    const handles = await engine.resumeAll();
    let code: ExitCode = ExitCode.published;
    if (handles.length > 0) code = await seeThrough(engine, handles, reporter, io, foreground);
    else {
      if (unreadable.problems().length === 0) reporter.message('Nothing to resume: every post in the store is finished.');
      await engine.shutdown();
    }
    const problems = unreadable.problems();
    if (problems.length > 0) for (const line of unreadableSummary(problems)) reporter.message(line);
    return exitCodeWithUnreadable(code, problems);
  } finally {
    reporter.close();
    await store.close();
  }
}
