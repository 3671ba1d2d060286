import type { CommandLine } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { credentialsFromEnv } from '../credentials.js';
import { webhookFromEnv } from '../webhook-secret.js';
import { engineForCli } from '../engine-for-cli.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { openStore } from '../open-store.js';
import { workerReporter } from '../report/worker-reporter.js';
import { reporterFor } from '../reporter-for.js';

/**
 * `igflow work`: one of any number of workers sharing a store (PostgreSQL
 * for several machines). It claims due posts, finishes them, and waits for
 * more until SIGINT or SIGTERM, then stores its posts and exits 75 (not
 * finished, resumable: README, *The CLI*). A store that stops answering (a
 * database restart) is waited out with a backoff, said once on stderr when
 * it goes and once when it is back. With `--webhook URL` it also delivers
 * the store's outcomes there, signed with IGFLOW_WEBHOOK_SECRET.
 */
export async function workCommand(cmd: CommandLine, io: CliIo): Promise<ExitCode> {
  if (cmd.positionals.length > 0) throw new CliError('igflow work takes no arguments', ExitCode.invalid, 'Usage: igflow work [--store DIR|postgres://…]');
  const credentials = credentialsFromEnv(io.env);
  const webhook = webhookFromEnv(cmd.options, io.env);
  const reporter = workerReporter(await reporterFor(io, cmd.options.json), io.stderr, cmd.options.json);
  const store = openStore(cmd.options.store);
  try {
    const { engine } = engineForCli(store, credentials, cmd.options, reporter, webhook);
    let stopping: Promise<void> | undefined;
    const unlisten = io.onStopSignal((signal) => {
      reporter.message(`${signal}: storing every post and stopping.`);
      stopping = engine.shutdown();
    });
    await engine.work({ concurrency: cmd.options.concurrency });
    // the store closes only once every post is stored at its safe point
    await stopping;
    unlisten();
    return ExitCode.resumable;
  } finally {
    reporter.close();
    await store.close();
  }
}
