import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fileStore } from '../../src/adapters/file-store.js';
import { storeLayout } from '../../src/adapters/fs/store-layout.js';
import { postgresStore } from '../../src/adapters/postgres/postgres-store.js';
import { createEngine } from '../../src/engine/engine.js';
import { postIdForKey } from '../../src/engine/post-id.js';
import { DEFAULT_ACCOUNT, startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { adminPool, assertPostgresReachable, closeAdminPool, dropSchema } from '../adapters/fixtures/postgres-schema.js';
import { runInProcess, spawnCli, tempWorkspace, type CliRun } from './cli-harness.js';

/**
 * Issue 11: what a user found wrong with damaged stores, store URLs,
 * IG_USER_ID and leftover temp files, each checked through the CLI.
 */
const TOKEN = DEFAULT_ACCOUNT.token;
const env = { IG_ACCESS_TOKEN: TOKEN, IG_USER_ID: DEFAULT_ACCOUNT.igUserId };
const image = (id: string) => ({ kind: 'image', id, imageUrl: `https://cdn.example/${id}.jpg`, caption: `post ${id}` });

/** A string a damaged file carries, which must never reach the terminal. */
const MARKER = 'ZQXJ7K9W';
/** Control bytes (bell, escape sequences) a damaged file carries. */
const CONTROL = '\x07\x1b[2J\x1b]0;pwned\x07\x00';
/** Any raw control byte except newline and tab. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/;

const noStack = (text: string) => expect.soft(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
const nothingEchoed = (run: CliRun) => {
  const all = run.stdout + run.stderr;
  expect.soft(all).not.toContain(MARKER);
  expect.soft(all).not.toMatch(RAW_CONTROL);
  noStack(all);
};

/** Waits for a child CLI run, killing it (and saying so) when it is still running after `ms`. */
async function within(run: ReturnType<typeof spawnCli>, ms: number): Promise<CliRun & { readonly timedOut: boolean }> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    run.child.kill('SIGKILL');
  }, ms);
  const done = await run.done;
  clearTimeout(timer);
  return { ...done, timedOut };
}

describe('issue 11: store problems seen through the CLI', () => {
  let sim: Simulator;
  let ws: Awaited<ReturnType<typeof tempWorkspace>>;
  beforeEach(async () => {
    sim = await startSimulator({ scenario: { processing: { imageMs: [20, 20], videoMs: [40, 40], parentMs: [20, 20] } } });
    ws = await tempWorkspace();
  });
  afterEach(async () => {
    await sim.close();
    await ws.close();
  });
  const flags = () => ['--store', ws.store, '--graph-url', sim.url, '--poll-interval', '10', '--no-media-checks'];

  /** Stores unpublished posts with these keys in the workspace's file store, as `igflow publish` would before its first request. */
  async function enqueue(keys: readonly string[]): Promise<void> {
    const store = fileStore(ws.store);
    const engine = createEngine({ store, graph: { accessToken: TOKEN, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url }, mediaChecks: false });
    for (const key of keys) await engine.enqueue(image(key));
    await engine.shutdown();
    await store.close();
  }

  const postFile = (key: string) => storeLayout(ws.store).postFile(postIdForKey(key));

  /**
   * Damages the stored posts of three keys, as a disk or a kill could:
   * `torn` is cut short in the middle of a string holding the marker,
   * `garbage` is not JSON at all (the marker and raw control bytes first,
   * where JSON.parse quotes them), `future` is an envelope of an unknown
   * version (a string holding the marker).
   */
  async function damage(): Promise<void> {
    const torn = await readFile(postFile('torn'), 'utf8');
    await writeFile(postFile('torn'), `${torn.slice(0, torn.indexOf('"account"'))}"account":"${MARKER}`);
    await writeFile(postFile('garbage'), `${MARKER}${CONTROL} this is not an envelope`);
    const future = JSON.parse(await readFile(postFile('future'), 'utf8')) as Record<string, unknown>;
    await writeFile(postFile('future'), `${JSON.stringify({ ...future, v: `${MARKER}-v9`, caption: MARKER })}\n`);
  }

  describe('1. damaged posts', () => {
    it('igflow status exits 1 and names each damaged post by its key and its damage, echoing none of its bytes', async () => {
      await enqueue(['healthy', 'torn', 'garbage', 'future']);
      await damage();
      const run = await spawnCli(['status', '--store', ws.store], env).done;
      expect.soft(run.code).toBe(1);
      expect.soft(run.stdout).toMatch(/^healthy\s+post\s+accepted/m);
      expect.soft(run.stderr).toMatch(/"torn".*truncated/);
      expect.soft(run.stderr).toMatch(/"garbage".*not JSON/);
      expect.soft(run.stderr).toMatch(/"future".*unknown envelope version/);
      expect.soft(run.stderr).toContain(postIdForKey('torn'));
      nothingEchoed(run);
    });

    it('igflow status --json names the damaged post by its key too, and exits 1', async () => {
      await enqueue(['healthy', 'torn']);
      const torn = await readFile(postFile('torn'), 'utf8');
      await writeFile(postFile('torn'), torn.slice(0, 30));
      const run = await runInProcess(['status', '--store', ws.store, '--json'], env);
      expect.soft(run.code).toBe(1);
      expect.soft(JSON.parse(run.stdout.trim())).toMatchObject({ key: 'healthy' });
      expect.soft(run.stderr).toMatch(/"torn".*truncated/);
    });

    it('igflow resume publishes the healthy posts, then exits 1 naming the damaged ones by key', async () => {
      await enqueue(['healthy-1', 'torn', 'healthy-2', 'garbage', 'future']);
      await damage();
      const run = await runInProcess(['resume', ...flags()], env);
      expect.soft(sim.record.publishes).toHaveLength(2);
      for (const key of ['healthy-1', 'healthy-2']) expect.soft(run.stdout).toContain(`${key}: published, media`);
      expect.soft(run.code).toBe(1);
      const all = run.stdout + run.stderr;
      expect.soft(all).toMatch(/"torn".*truncated/);
      expect.soft(all).toMatch(/"garbage".*not JSON/);
      expect.soft(all).toMatch(/"future".*unknown envelope version/);
      expect.soft(all).toMatch(/3 posts could not be read .*"torn".*"garbage".*"future"/);
      nothingEchoed(run);
    });

    it('igflow resume with nothing but a damaged post exits 1 instead of "nothing to resume"', async () => {
      await enqueue(['garbage']);
      await writeFile(postFile('garbage'), `${MARKER}${CONTROL}`);
      const run = await spawnCli(['resume', ...flags(), '--json'], env).done;
      expect.soft(run.code).toBe(1);
      expect.soft(run.stdout + run.stderr).not.toMatch(/Nothing to resume/);
      const events = run.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; message?: string });
      expect.soft(events.find((e) => e.type === 'problem')?.message).toMatch(/"garbage".*not JSON/);
      expect.soft(sim.record.requests).toHaveLength(0);
      nothingEchoed(run);
    });
  });

  describe('2. PostgreSQL store locations', () => {
    const PASSWORD = 'hunter2-secret-pw';
    const schemas: string[] = [];
    beforeAll(assertPostgresReachable);
    afterAll(async () => {
      for (const schema of schemas) await dropSchema(schema);
      await closeAdminPool();
    });
    /** A schema name for one test, dropped after the suite. */
    const schemaFor = (prefix: string): string => {
      const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
      schemas.push(schema);
      return schema;
    };
    const urlWithPassword = (schema: string) => `postgres://postgres:${PASSWORD}@127.0.0.1:5432/test?schema=${encodeURIComponent(schema)}`;
    const schemaExists = async (schema: string) => (await adminPool().query('SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1', [schema])).rowCount === 1;

    it('igflow status of an empty store never prints the password of its URL', async () => {
      const schema = schemaFor('igflow_pw');
      const store = postgresStore({ connectionString: 'postgres://postgres@127.0.0.1:5432/test', schema });
      await store.posts.list(); // migrates: the schema exists and is empty
      await store.close();
      const run = await spawnCli(['status', '--store', urlWithPassword(schema)], env).done;
      expect.soft(run.code).toBe(0);
      expect.soft(run.stdout).toMatch(/^No posts in postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\/test\?schema=igflow_pw_/m);
      expect.soft(run.stdout + run.stderr).not.toContain(PASSWORD);
    });

    it('igflow status of an absent schema exits 2 in one line naming it and the masked URL, and creates nothing', async () => {
      const schema = schemaFor('bad-schema;drop');
      const run = await spawnCli(['status', '--store', urlWithPassword(schema)], env).done;
      expect.soft(await schemaExists(schema)).toBe(false);
      expect.soft(run.code).toBe(2);
      expect.soft(run.stdout).toBe('');
      expect.soft(run.stderr.trim().split('\n')).toHaveLength(1);
      expect.soft(run.stderr).toContain(`"${schema}"`);
      expect.soft(run.stderr).toContain('postgres://postgres:***@127.0.0.1:5432/test');
      expect.soft(run.stdout + run.stderr).not.toContain(PASSWORD);
      noStack(run.stderr);
    });

    it('igflow status never prints the password in a database error', async () => {
      const run = await spawnCli(['status', '--store', `postgres://postgres:${PASSWORD}@127.0.0.1:1/test`], env).done;
      expect.soft(run.code).not.toBe(0);
      expect.soft(run.stderr).toContain('postgres://postgres:***@127.0.0.1:1/test');
      expect.soft(run.stdout + run.stderr).not.toContain(PASSWORD);
      noStack(run.stderr);
    });

    it('igflow resume (which may migrate) still creates the schema it is given', async () => {
      const schema = schemaFor('igflow_resume');
      const run = await spawnCli(['resume', '--store', urlWithPassword(schema), '--graph-url', sim.url], env).done;
      expect.soft(run.code).toBe(0);
      expect.soft(await schemaExists(schema)).toBe(true);
      expect.soft(run.stdout + run.stderr).not.toContain(PASSWORD);
    });
  });

  describe('3. IG_USER_ID', () => {
    it.each(['publish', 'resume', 'work'])('igflow %s refuses a non-numeric IG_USER_ID with exit 2 before any request', async (command) => {
      await enqueue(['waiting']); // something for resume and work to do
      const spec = await ws.spec('ok.json', image('fresh'));
      const argv = [command, ...(command === 'publish' ? [spec] : []), ...flags()];
      const run = await within(spawnCli(argv, { IG_ACCESS_TOKEN: TOKEN, IG_USER_ID: 'abc' }), 8_000);
      expect.soft(run.timedOut, `still running after 8 s, ${sim.record.requests.length} requests sent`).toBe(false);
      expect.soft(run.code).toBe(2);
      expect.soft(run.stderr).toMatch(/IG_USER_ID must be .*digits/);
      expect.soft(sim.record.requests).toHaveLength(0);
      expect.soft(run.stdout + run.stderr).not.toContain(TOKEN);
      noStack(run.stderr);
    }, 15_000);

    it('never echoes IG_USER_ID, which may hold the token by mistake', async () => {
      const spec = await ws.spec('ok.json', image('fresh'));
      const run = await within(spawnCli(['publish', spec, ...flags()], { IG_ACCESS_TOKEN: TOKEN, IG_USER_ID: `${TOKEN}-swapped` }), 8_000);
      expect.soft(run.timedOut).toBe(false);
      expect.soft(run.code).toBe(2);
      expect.soft(run.stdout + run.stderr).not.toContain(TOKEN);
      expect.soft(sim.record.requests).toHaveLength(0);
    }, 15_000);
  });

  describe('4. temp files left by kills', () => {
    it('igflow status removes stale .tmp files of posts and keys, but never a fresh one (a write in flight)', async () => {
      await enqueue(['kept']);
      const layout = storeLayout(ws.store);
      const stalePost = join(layout.posts, `.${postIdForKey('killed')}.json.0123456789ab.tmp`);
      const staleKey = join(layout.keys, `.${'f'.repeat(64)}.0123456789ab.tmp`);
      const fresh = join(layout.posts, `.${postIdForKey('in-flight')}.json.ba9876543210.tmp`);
      const hourAgo = new Date(Date.now() - 3_600_000);
      for (const path of [stalePost, staleKey]) {
        await writeFile(path, '{"v":1,"postId":"half-writ');
        await utimes(path, hourAgo, hourAgo);
      }
      await writeFile(fresh, '{"v":1,"postId":"being-writ');
      const run = await spawnCli(['status', '--store', ws.store], env).done;
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^kept\s+post/m);
      const left = [...(await readdir(layout.posts)), ...(await readdir(layout.keys))].filter((name) => name.endsWith('.tmp'));
      expect(left).toEqual([`.${postIdForKey('in-flight')}.json.ba9876543210.tmp`]);
      expect((await stat(fresh)).isFile()).toBe(true);
    });

    it('igflow resume removes them too, and still publishes', async () => {
      await enqueue(['after-kill']);
      const layout = storeLayout(ws.store);
      const stale = join(layout.posts, `.${postIdForKey('after-kill')}.json.00aa11bb22cc.tmp`);
      await writeFile(stale, '{"v":1');
      const longAgo = new Date(Date.now() - 60_000);
      await utimes(stale, longAgo, longAgo);
      const run = await runInProcess(['resume', ...flags()], env);
      expect(run.code, run.stderr).toBe(0);
      expect(sim.record.publishes).toHaveLength(1);
      expect((await readdir(layout.posts)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    });
  });
});
