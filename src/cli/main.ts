#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { InvalidGraphOptions } from '../graph/graph-options.js';
import { IdempotencyConflict } from '../engine/idempotency-conflict.js';
import { InvalidPostSpec } from '../spec/invalid-post-spec.js';
import { InvalidMedia } from '../media/invalid-media.js';
import { parseCommandLine } from './args.js';
import { processIo, type CliIo } from './cli-io.js';
import type { CommandLine } from './args.js';
import { CliError, ExitCode } from './exit-codes.js';
import { maskCredentials } from './store-location.js';
import { usage } from './usage.js';

type Command = (cmd: CommandLine, io: CliIo) => Promise<ExitCode>;

/** Each command is loaded when run, so `igflow status` does not pay for the engine nor `publish` for the simulator. */
const commands: Readonly<Record<string, () => Promise<Command>>> = {
  publish: async () => (await import('./commands/publish.js')).publishCommand,
  resume: async () => (await import('./commands/resume.js')).resumeCommand,
  status: async () => (await import('./commands/status.js')).statusCommand,
  simulate: async () => (await import('./commands/simulate.js')).simulateCommand,
  work: async () => (await import('./commands/work.js')).workCommand,
  watch: async () => (await import('./commands/watch.js')).watchCommand,
  cancel: async () => (await import('./commands/cancel.js')).cancelCommand,
  reschedule: async () => (await import('./commands/reschedule.js')).rescheduleCommand,
};

/** Runs the igflow command line and returns its exit code; errors become one line and a remedy, never a stack trace. */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<ExitCode> {
  try {
    const cmd = parseCommandLine(argv);
    if (cmd.options.help || cmd.command === 'help') {
      io.stdout.write(`${usage}\n`);
      return ExitCode.published;
    }
    if (cmd.command === undefined) {
      io.stderr.write(`${usage}\n`);
      return ExitCode.invalid;
    }
    const load = commands[cmd.command];
    if (load === undefined) throw new CliError(`unknown command '${cmd.command}'`, ExitCode.invalid, 'Run `igflow --help` for the usage.');
    return await (await load())(cmd, io);
  } catch (err) {
    // credentials in URLs are masked in any case: a store URL may hide in an error from below
    if (err instanceof CliError) {
      io.stderr.write(maskCredentials(`igflow: ${err.message}\n${err.remedy ? `  ${err.remedy}\n` : ''}`));
      return err.exitCode;
    }
    if (err instanceof InvalidPostSpec || err instanceof InvalidGraphOptions) {
      io.stderr.write(`igflow: ${err.message}\n${err instanceof InvalidMedia ? `  ${err.remedy}\n` : ''}`);
      return ExitCode.invalid;
    }
    if (err instanceof IdempotencyConflict) {
      io.stderr.write(`igflow: ${err.message}\n  ${err.remedy}\n`);
      return ExitCode.invalid;
    }
    io.stderr.write(maskCredentials(`igflow: ${err instanceof Error ? err.message : String(err)}\n`));
    return ExitCode.failed;
  }
}

/** Whether this module is the process's entry point (also through npm's bin symlink). */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`igflow: ${reason instanceof Error ? reason.message : String(reason)}\n`);
    process.exit(ExitCode.failed);
  });
  void runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
