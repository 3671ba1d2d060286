import { createWatchServer, type WatchServer } from '../../watch/watch-server.js';
import { isLoopback, MIN_WATCH_TOKEN_LENGTH, WatchOptionsError } from '../../watch/watch-options.js';
import type { CommandLine } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { openStore } from '../open-store.js';
import { shownStoreLocation } from '../store-location.js';

/** The watch token: `--watch-token`, else IGFLOW_WATCH_TOKEN; checked before anything starts. */
function watchToken(cmd: CommandLine, io: CliIo): string | undefined {
  const token = cmd.options['watch-token'] ?? (io.env.IGFLOW_WATCH_TOKEN?.trim() || undefined);
  if (token !== undefined && token.length < MIN_WATCH_TOKEN_LENGTH) {
    throw new CliError(`--watch-token must have at least ${MIN_WATCH_TOKEN_LENGTH} characters`, ExitCode.invalid, 'Make one with `openssl rand -hex 16`.');
  }
  return token;
}

/**
 * `igflow watch`: serves a live view of the store's posts (file store or
 * PostgreSQL, written by any number of processes) on 127.0.0.1, prints its
 * base URL as the first line of stdout, and runs until SIGINT or SIGTERM
 * (exit 0). `--host` other than loopback needs `--watch-token` (exit 2
 * without). Opens the store without creating anything.
 */
export async function watchCommand(cmd: CommandLine, io: CliIo): Promise<ExitCode> {
  if (cmd.positionals.length > 0) throw new CliError('igflow watch takes no arguments', ExitCode.invalid);
  const host = cmd.options.host ?? '127.0.0.1';
  const token = watchToken(cmd, io);
  if (!isLoopback(host) && token === undefined) {
    throw new CliError(`--host ${host} would open the view to the network: igflow watch needs --watch-token with it`, ExitCode.invalid, 'Give --watch-token SECRET (the page asks for it), or leave --host out to stay on 127.0.0.1.');
  }
  const where = shownStoreLocation(cmd.options.store);
  const stopped = new Promise<void>((resolve) => io.onStopSignal(() => resolve()));
  const store = openStore(cmd.options.store, { create: false });
  let server: WatchServer;
  try {
    server = await createWatchServer({ store, host, port: cmd.options.port, ...(token === undefined ? {} : { token }) });
  } catch (error) {
    await store.close();
    if (error instanceof WatchOptionsError) throw new CliError(error.message, ExitCode.invalid);
    throw new CliError(`cannot serve the view on ${host}:${cmd.options.port}: ${error instanceof Error ? error.message : String(error)}`, ExitCode.failed);
  }
  io.stdout.write(`${server.url}\n`);
  io.stderr.write(`igflow watch: a live view of ${where} on ${server.url} (Ctrl-C to stop)\n`);
  await stopped;
  await server.close();
  await store.close();
  return ExitCode.published;
}
