import { readFile } from 'node:fs/promises';
import { validatePostSpec } from '../../spec/validate.js';
import type { CommandLine } from '../args.js';
import type { CliIo } from '../cli-io.js';
import { credentialsFromEnv } from '../credentials.js';
import { engineForCli } from '../engine-for-cli.js';
import { CliError, ExitCode } from '../exit-codes.js';
import { openStore } from '../open-store.js';
import { reporterFor } from '../reporter-for.js';
import { seeThrough } from '../see-through.js';

async function readSpec(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, ExitCode.invalid);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new CliError(`${path} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, ExitCode.invalid);
  }
}

/** `igflow publish <spec.json>`: validates (exit 2, nothing sent), then publishes and waits for the outcome. */
export async function publishCommand(cmd: CommandLine, io: CliIo): Promise<ExitCode> {
  const [path, ...extra] = cmd.positionals;
  if (path === undefined || extra.length > 0) throw new CliError('igflow publish takes exactly one spec file', ExitCode.invalid, 'Usage: igflow publish <spec.json>');
  const spec = await readSpec(path);
  const validation = validatePostSpec(spec, { login: cmd.options.login ?? 'instagram' });
  if (!validation.ok) {
    const lines = validation.issues.map((issue) => `  ${issue.path}: ${issue.message}`);
    throw new CliError(`invalid post spec ${path} (nothing was sent):\n${lines.join('\n')}`, ExitCode.invalid);
  }
  const credentials = credentialsFromEnv(io.env);
  const reporter = await reporterFor(io, cmd.options.json);
  const store = openStore(cmd.options.store);
  try {
    const { engine, foreground } = engineForCli(store, credentials, cmd.options, reporter);
    try {
      const handle = await engine.publish(spec);
      return await seeThrough(engine, [handle], reporter, io, foreground);
    } finally {
      await engine.shutdown();
    }
  } finally {
    reporter.close();
    await store.close();
  }
}
