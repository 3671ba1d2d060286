import type { CommandLine } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { credentialsFromEnv } from '../credentials.js';
import { engineForCli } from '../engine-for-cli.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { openStore } from '../open-store.js';
import { reporterFor } from '../reporter-for.js';
import { seeThrough } from '../see-through.js';

/** `igflow resume`: finishes every unfinished post of the store, without a second Instagram post. */
export async function resumeCommand(cmd: CommandLine, io: CliIo): Promise<ExitCode> {
  if (cmd.positionals.length > 0) throw new CliError('igflow resume takes no arguments', ExitCode.invalid, 'Usage: igflow resume [--store DIR]');
  const credentials = credentialsFromEnv(io.env);
  const reporter = await reporterFor(io, cmd.options.json);
  const store = openStore(cmd.options.store);
  try {
    const engine = engineForCli(store, credentials, cmd.options, reporter);
    const handles = await engine.resumeAll();
    if (handles.length === 0) {
      reporter.message('Nothing to resume: every post in the store is finished.');
      await engine.shutdown();
      return ExitCode.published;
    }
    return await seeThrough(engine, handles, reporter, io);
  } finally {
    reporter.close();
    await store.close();
  }
}
