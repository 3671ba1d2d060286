import { DEFAULT_ACCOUNT, startSimulator } from '../../sim/simulator.js';
import type { CommandLine } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { CliError, ExitCode } from '../exit-codes.js';

/**
 * `igflow simulate`: serves the simulated Graph API on 127.0.0.1 and prints
 * its base URL as the first line of stdout. The token is IG_ACCESS_TOKEN
 * (for IG_USER_ID, or the default account); without it any non-empty token
 * is accepted. Runs until SIGINT or SIGTERM.
 */
export async function simulateCommand(cmd: CommandLine, io: CliIo): Promise<ExitCode> {
  if (cmd.positionals.length > 0) throw new CliError('igflow simulate takes no arguments', ExitCode.invalid);
  const token = io.env.IG_ACCESS_TOKEN?.trim();
  const sim = await startSimulator({
    port: cmd.options.port,
    ...(token ? { accounts: [{ igUserId: io.env.IG_USER_ID?.trim() || DEFAULT_ACCOUNT.igUserId, token }] } : { acceptAnyToken: true }),
  }).catch((err: unknown) => {
    throw new CliError(`cannot start the simulator: ${err instanceof Error ? err.message : String(err)}`, ExitCode.failed);
  });
  io.stdout.write(`${sim.url}\n`);
  io.stderr.write(`igflow simulate: the Graph API simulator listens on ${sim.url} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => io.onStopSignal(() => resolve()));
  await sim.close();
  return ExitCode.published;
}
