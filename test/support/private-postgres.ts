import { execFile } from 'node:child_process';
import { access, chown, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where Debian's PostgreSQL 15 keeps its server binaries; IGFLOW_PG_BIN overrides it. */
const PG_BIN = process.env.IGFLOW_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** A PostgreSQL server of this test's own, on a temp data directory and a free port of 127.0.0.1, with trust auth. */
export interface PrivatePostgres {
  /** Its TCP port on 127.0.0.1. */
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres`, with `password` in it when one was asked for (trust auth ignores it). */
  readonly url: string;
  /** Starts the server (unless it runs) and resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops the server (if it runs) with a fast shutdown: clients are disconnected, not waited for. Resolves once it is down. */
  stop(): Promise<void>;
  /** {@link stop} then {@link start}, on the same data directory. */
  restart(): Promise<void>;
  /** Stops the server if it runs and deletes its data directory. */
  destroy(): Promise<void>;
  /** The server's log so far (for a failing test's message). */
  log(): Promise<string>;
}

/** Options of {@link createPrivatePostgres}. */
export interface PrivatePostgresOptions {
  /** A password to put in {@link PrivatePostgres.url}, to check that it never shows in output. */
  readonly password?: string;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; it is free again when this resolves). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The uid and gid of the `postgres` system user (initdb and postgres refuse to run as root). */
async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Throws, saying what is missing, when the PostgreSQL server binaries are not installed: the test fails rather than skips. */
export async function assertPostgresBinaries(): Promise<void> {
  for (const tool of ['initdb', 'pg_ctl', 'postgres']) {
    try {
      await access(join(PG_BIN, tool));
    } catch {
      throw new Error(`PostgreSQL server binaries are missing: no ${join(PG_BIN, tool)} (install postgresql-15, or point IGFLOW_PG_BIN at a bin directory with initdb, pg_ctl and postgres)`);
    }
  }
}

/**
 * Makes (initdb) and starts a private PostgreSQL server, so that a test
 * can stop and restart it without disturbing the shared test server other
 * test files use at the same time. As root, every PostgreSQL binary runs as
 * the `postgres` user (runuser) on a temp directory that user owns; the
 * unix socket lives in that directory too.
 */
export async function createPrivatePostgres(options: PrivatePostgresOptions = {}): Promise<PrivatePostgres> {
  await assertPostgresBinaries();
  const asRoot = process.getuid?.() === 0;
  const dir = await mkdtemp(join(tmpdir(), 'igflow-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  if (asRoot) {
    const { uid, gid } = await postgresUser();
    await chown(dir, uid, gid);
  }
  /** Runs a PostgreSQL binary, as `postgres` when this process is root. */
  const pgTool = async (tool: string, args: readonly string[]): Promise<string> => {
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, tool), ...args]] : [join(PG_BIN, tool), [...args]];
    try {
      const { stdout } = await run(file, argv, { timeout: 60_000 });
      return stdout;
    } catch (error) {
      const { stderr, stdout } = error as { stderr?: string; stdout?: string };
      throw new Error(`${tool} ${args.join(' ')} failed: ${String(stderr || stdout || error)}`);
    }
  };
  const port = await freePort();
  await pgTool('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '--no-instructions', '-E', 'UTF8', '--locale=C']);
  const serverOptions = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off -c max_connections=50`;
  let running = false;

  const start = async (): Promise<void> => {
    if (running) return;
    await pgTool('pg_ctl', ['-D', data, '-l', logFile, '-o', serverOptions, '-w', '-t', '60', 'start']);
    running = true;
  };
  const stop = async (): Promise<void> => {
    if (!running) return;
    await pgTool('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
    running = false;
  };
  await start();
  const auth = options.password === undefined ? 'postgres' : `postgres:${encodeURIComponent(options.password)}`;
  return {
    port,
    url: `postgres://${auth}@127.0.0.1:${port}/postgres`,
    start,
    stop,
    async restart() {
      await stop();
      await start();
    },
    async destroy() {
      if (running) await pgTool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      running = false;
      await rm(dir, { recursive: true, force: true });
    },
    log: () => readFile(logFile, 'utf8').catch(() => ''),
  };
}
