import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/main.js';

/** What one CLI run printed and returned. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A temp directory with helpers to write specs into it. */
export async function tempWorkspace() {
  const dir = await mkdtemp(join(tmpdir(), 'igflow-cli-'));
  return {
    dir,
    store: join(dir, 'store'),
    async spec(name: string, value: unknown): Promise<string> {
      const path = join(dir, name);
      await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value));
      return path;
    },
    close: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Runs the CLI in this process with captured streams (not a TTY). */
export async function runInProcess(argv: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const io: CliIo = {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    env,
    onStopSignal: () => () => undefined,
  };
  const code = await runCli(argv, io);
  return { code, stdout: out, stderr: err };
}

/** Spawns the built CLI (dist/cli/main.js) as a child process; `output()` and `errors()` are its stdout and stderr so far. */
export function spawnCli(argv: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [resolve('dist/cli/main.js'), ...argv], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<CliRun>((resolveRun) => child.once('exit', (code) => resolveRun({ code, stdout, stderr })));
  return { child, done, output: () => stdout, errors: () => stderr };
}
