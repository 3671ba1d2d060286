import { mkdir, readFile, utimes } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileStore } from '../../src/adapters/file-store.js';
import { createEngine } from '../../src/engine/engine.js';
import { DEFAULT_ACCOUNT, startSimulator, type ScenarioInput, type Simulator } from '../../src/sim/simulator.js';
import { spawnCli, tempWorkspace, type CliRun } from './cli-harness.js';

/**
 * Issue 11: what broke when igflow was tried as a new user would, each
 * pinned by a run of the CLI as a child process against the simulator.
 */
const env = { IG_ACCESS_TOKEN: DEFAULT_ACCOUNT.token, IG_USER_ID: DEFAULT_ACCOUNT.igUserId };
const image = (id: string, extra: object = {}) => ({ kind: 'image', id, imageUrl: `https://cdn.example/${id}.jpg`, caption: `post ${id}`, ...extra });
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
const lines = (run: CliRun) => run.stdout.trim().split('\n').filter(Boolean);
const events = (run: CliRun) => lines(run).map((line) => JSON.parse(line) as Record<string, unknown>);
const fast: ScenarioInput = { processing: { imageMs: [20, 20], videoMs: [40, 40], parentMs: [20, 20] } };

/** Polls `check` every 10 ms until it holds (real time: these are child processes). */
async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** CPU seconds a Linux process has used (user + system), from /proc. */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

describe('issue 11 regressions: the CLI as a new user meets it', () => {
  let sim: Simulator;
  let ws: Awaited<ReturnType<typeof tempWorkspace>>;
  beforeEach(async () => {
    sim = await startSimulator({ scenario: fast });
    ws = await tempWorkspace();
  });
  afterEach(async () => {
    await sim.close();
    await ws.close();
  });
  // the specs name hosts that do not exist: media checks are tested in test/engine/media-checks.test.ts
  const flags = (graphUrl = sim.url) => ['--store', ws.store, '--graph-url', graphUrl, '--poll-interval', '10', '--no-media-checks'];
  const cli = (argv: string[]) => spawnCli(argv, env).done;

  it('1. resume re-checks a stored quota wait at once instead of sleeping it out', async () => {
    sim.setScenario({ quotaTotal: 0 });
    const first = await cli(['publish', await ws.spec('a.json', image('quota-1')), ...flags(), '--json']);
    expect(first.code).toBe(75);
    expect(first.stdout).toMatch(/"type":"waiting".*"reason":"quota"/);
    const readsBefore = sim.record.count('limit');
    sim.setScenario({ quotaTotal: 100 });
    const started = Date.now();
    const resumed = await cli(['resume', ...flags(), '--json']);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(sim.record.count('limit')).toBeGreaterThan(readsBefore);
    expect(sim.record.publishes).toHaveLength(1);
  });

  it('2. resume exits 75 (never hangs) when every post waits on the quota', async () => {
    const store = fileStore(ws.store);
    const engine = createEngine({ store, graph: { accessToken: env.IG_ACCESS_TOKEN, igUserId: env.IG_USER_ID, baseUrl: sim.url }, pollIntervalMs: 10, mediaChecks: false });
    for (let i = 0; i < 10; i++) await engine.enqueue(image(`q-${i}`));
    for (let i = 0; i < 10; i++) await engine.enqueue({ kind: 'reel', id: `qr-${i}`, videoUrl: `https://cdn.example/r${i}.mp4` });
    for (let i = 0; i < 10; i++) await engine.enqueue({ kind: 'stories', id: `qs-${i}`, items: [{ imageUrl: `https://cdn.example/s${i}.jpg` }] });
    await engine.shutdown();
    sim.setScenario({ quotaTotal: 0 });
    const run = spawnCli(['resume', ...flags(), '--json'], env);
    const timer = setTimeout(() => run.child.kill('SIGKILL'), 20_000);
    const done = await run.done;
    clearTimeout(timer);
    expect(done.code, done.stderr).toBe(75);
    expect(sim.record.publishes).toHaveLength(0);
  }, 30_000);

  it('3. a fast --poll-interval never turns a container that takes seconds into a failure', async () => {
    sim.setScenario({ processing: { imageMs: [1_500, 1_500] } });
    const run = await cli(['publish', await ws.spec('a.json', image('slow-image')), '--store', ws.store, '--graph-url', sim.url, '--poll-interval', '5', '--json']);
    expect(run.code, run.stdout).toBe(0);
    expect(events(run).at(-1)).toMatchObject({ type: 'published', mediaId: sim.record.publishes[0]!.mediaId });
    // polls back off past the seed's schedule instead of hammering the container for seconds
    expect(sim.record.count('status')).toBeLessThan(40);
  });

  it('4. --help says nothing is published before publishAt, and that containers may be made ahead', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/nothing is published before (its )?publishAt/i);
    expect(run.stdout).toMatch(/containers? (may be|are) (made|created) ahead/i);
  });

  it.each([
    ['the status read', 'status'],
    ['media_publish', 'publish'],
  ] as const)('5. a token rejected on %s leaves the post resumable (75, remedy); a good token finishes it with one container and one publish', async (_what, endpoint) => {
    sim.inject({ endpoint, fault: { type: 'graphError', code: 190, message: 'Error validating access token: Session has expired' } });
    const path = await ws.spec('a.json', image('auth-1'));
    const run = await cli(['publish', path, ...flags()]);
    expect(run.code, run.stdout + run.stderr).toBe(75);
    expect(run.stdout + run.stderr).toMatch(/access token/i);
    noStack(run.stdout + run.stderr);
    const resumed = await cli(['resume', ...flags(), '--json']);
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(sim.record.containers).toHaveLength(1);
    expect(sim.record.publishes).toHaveLength(1);
    const again = await cli(['publish', path, ...flags(), '--json']);
    expect(events(again).at(-1)).toMatchObject({ type: 'published', mediaId: sim.record.publishes[0]!.mediaId });
  });

  it('6a. Instagram unreachable: the CLI shows it is retrying and when, exits 75, and resume publishes once', async () => {
    const refusing = createServer();
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const port = (refusing.address() as { port: number }).port;
    await new Promise<void>((resolve) => refusing.close(() => resolve()));
    const started = Date.now();
    const run = await cli(['publish', await ws.spec('a.json', image('offline')), ...flags(`http://127.0.0.1:${port}`), '--max-wait', '1000', '--json']);
    expect(run.code, run.stdout + run.stderr).toBe(75);
    expect(Date.now() - started).toBeLessThan(15_000);
    const retries = events(run).filter((e) => e.type === 'waiting' && e.reason === 'backoff');
    expect(retries.length).toBeGreaterThan(1);
    expect(Date.parse(String(retries[0]!.until))).toBeGreaterThan(0);
    expect(JSON.stringify(retries[0])).toMatch(/ECONNREFUSED|connect/);
    expect(events(run).some((e) => e.type === 'failed')).toBe(false);
    const resumed = await cli(['resume', ...flags(), '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(sim.record.publishes).toHaveLength(1);
  });

  it('6b. a server that accepts and never answers: retries are shown, exit 75, never "failed"', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
      const started = Date.now();
      const run = await cli(['publish', await ws.spec('a.json', image('silent')), ...flags(url), '--request-timeout', '300', '--max-wait', '1000', '--json']);
      expect(run.code, run.stdout + run.stderr).toBe(75);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(events(run).filter((e) => e.type === 'waiting' && e.reason === 'backoff').length).toBeGreaterThan(0);
      expect(events(run).some((e) => e.type === 'failed')).toBe(false);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('8. one post that cannot be written fails alone: the healthy posts are published, exit 1 names it by key', async () => {
    const store = fileStore(ws.store);
    const engine = createEngine({ store, graph: { accessToken: env.IG_ACCESS_TOKEN, igUserId: env.IG_USER_ID, baseUrl: sim.url }, mediaChecks: false });
    const ids: string[] = [];
    for (const key of ['healthy-1', 'stuck', 'healthy-2']) ids.push(await engine.enqueue(image(key)));
    await engine.shutdown();
    const lock = join(ws.store, 'posts', `${ids[1]}.lock`);
    await mkdir(lock);
    const old = new Date(Date.now() - 3_600_000);
    await utimes(lock, old, old);
    const run = await cli(['resume', ...flags()]);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/stuck/);
    noStack(run.stdout + run.stderr);
    expect(sim.record.publishes).toHaveLength(2);
    const status = await cli(['status', '--store', ws.store]);
    expect(status.stdout).not.toMatch(/held by/);
  });

  it('10. a wait of 30 days neither floods warnings nor spins; --poll-interval past a sane range is refused', async () => {
    const publishAt = new Date(Date.now() + 30 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    expect((await cli(['publish', await ws.spec('a.json', image('later', { publishAt })), ...flags()])).code).toBe(75);
    const run = spawnCli(['resume', ...flags(), '--max-wait', String(40 * 86_400_000)], env);
    let stderr = '';
    run.child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await until(() => run.output().includes('scheduled for') || run.output().includes('waiting (schedule)'), 'the resumed post to wait');
    const cpuBefore = await cpuSeconds(run.child.pid!);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const cpuSpent = (await cpuSeconds(run.child.pid!)) - cpuBefore;
    run.child.kill('SIGINT');
    expect((await run.done).code).toBe(75);
    expect(stderr).not.toMatch(/TimeoutOverflowWarning/);
    expect(cpuSpent).toBeLessThan(0.3);
    const huge = await cli(['publish', await ws.spec('b.json', image('b')), ...flags().slice(0, -2), '--poll-interval', '1e12']);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/--poll-interval/);
    expect(sim.record.requests).toHaveLength(0);
  });

  it('13. the same id with different content is refused (exit 2 naming the key); the same content returns the first result', async () => {
    expect((await cli(['publish', await ws.spec('a.json', image('launch')), ...flags()])).code).toBe(0);
    const other = await cli(['publish', await ws.spec('b.json', { kind: 'reel', id: 'launch', videoUrl: 'https://cdn.example/v.mp4' }), ...flags()]);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/launch/);
    noStack(other.stderr);
    const same = await cli(['publish', await ws.spec('c.json', image('launch')), ...flags(), '--json']);
    expect(same.code).toBe(0);
    expect(events(same).at(-1)).toMatchObject({ type: 'published', mediaId: sim.record.publishes[0]!.mediaId });
    expect(sim.record.publishes).toHaveLength(1);
    expect(sim.record.count('create')).toBe(1);
  });

  it('14a. the quota message is printed once', async () => {
    sim.setScenario({ quotaTotal: 0 });
    const run = await cli(['publish', await ws.spec('a.json', image('quota-once')), ...flags()]);
    expect(run.code).toBe(75);
    expect((run.stdout + run.stderr).match(/daily publishing quota/g)).toHaveLength(1);
  });

  it('14b. resume labels lines with the spec id, not the internal post id', async () => {
    const store = fileStore(ws.store);
    const engine = createEngine({ store, graph: { accessToken: env.IG_ACCESS_TOKEN, igUserId: env.IG_USER_ID, baseUrl: sim.url }, mediaChecks: false });
    await engine.enqueue(image('labelled'));
    await engine.shutdown();
    const run = await cli(['resume', ...flags()]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/labelled: published/);
    expect(run.stdout).not.toMatch(/k-[0-9a-f]{6}/);
  });

  it('15. a far-future publishAt is stored at once: publish says when and how it goes, and exits 75', async () => {
    const publishAt = new Date(Date.now() + 2 * 365 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const started = Date.now();
    const run = await cli(['publish', await ws.spec('a.json', image('next-year', { publishAt })), ...flags()]);
    expect(run.code, run.stdout + run.stderr).toBe(75);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.stdout + run.stderr).toContain(publishAt.slice(0, 10));
    expect(run.stdout + run.stderr).toMatch(/igflow resume|igflow work/);
    expect(sim.record.requests).toHaveLength(0);
    const [post] = (await fileStore(ws.store).posts.list({ status: 'unfinished' })).posts;
    expect(post).toMatchObject({ key: 'next-year', status: 'active' });
    expect(post!.lease).toBeUndefined();
  });
});
