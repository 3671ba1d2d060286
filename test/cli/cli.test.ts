import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileStore } from '../../src/adapters/file-store.js';
import { DEFAULT_ACCOUNT, startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { runInProcess, spawnCli, tempWorkspace } from './cli-harness.js';

const TOKEN = DEFAULT_ACCOUNT.token;
const env = { IG_ACCESS_TOKEN: TOKEN, IG_USER_ID: DEFAULT_ACCOUNT.igUserId };
const image = { kind: 'image', imageUrl: 'https://cdn.example/a.jpg', caption: 'from the CLI' };
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return Promise.all(entries.filter((e) => e.isFile()).map((e) => readFile(join(e.parentPath, e.name), 'utf8')));
}

describe('igflow CLI', () => {
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

  it('prints the usage with --help and exits 0', async () => {
    const run = await runInProcess(['--help'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('igflow publish <spec.json>');
  });

  it.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['publish', 'x.json', '--colour'], /Unknown option '--colour'/],
    [['status', '--graph-url', 'http://x'], /igflow status does not take --graph-url/],
    [['publish', 'x.json', '--poll-interval', 'soon'], /--poll-interval is a number/],
    [['publish', 'x.json', '--graph-url', 'not a url'], /--graph-url must be an http\(s\) URL/],
  ])('refuses %j with exit 2 and a clear message', async (argv, message) => {
    const run = await runInProcess(argv, env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    noStack(run.stderr);
  });

  it('refuses an invalid spec with every problem and its path, exit 2, and sends nothing', async () => {
    const path = await ws.spec('bad.json', { kind: 'carousel', caption: 'x'.repeat(2201), items: [{ imageUrl: 'http://insecure.example/a.jpg', caption: 'no' }] });
    const run = await runInProcess(['publish', path, ...flags()], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/caption: /);
    expect(run.stderr).toMatch(/items\[0\]\.imageUrl: /);
    expect(run.stderr).toMatch(/items\[0\]\.caption: /);
    expect(run.stderr).toMatch(/items: /);
    expect(sim.record.requests).toHaveLength(0);
    noStack(run.stderr);
  });

  it.each([
    ['a missing file', null, /cannot read .*: ENOENT/],
    ['a file that is not JSON', '{"kind": "image",', /is not valid JSON/],
  ])('refuses %s with exit 2', async (_what, content, message) => {
    const path = content === null ? join(ws.dir, 'nope.json') : await ws.spec('broken.json', content);
    const run = await runInProcess(['publish', path, ...flags()], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('work --webhook needs IGFLOW_WEBHOOK_SECRET of 16 characters or more (exit 2), never shows it, and takes no secret in argv', async () => {
    const hook = ['work', '--store', ws.store, '--graph-url', sim.url, '--webhook', 'http://127.0.0.1:9/hook'];
    const unset = await runInProcess(hook, env);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/--webhook needs IGFLOW_WEBHOOK_SECRET, which is not set/);
    const short = await runInProcess(hook, { ...env, IGFLOW_WEBHOOK_SECRET: 'tiny-secret' });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/IGFLOW_WEBHOOK_SECRET is too short/);
    expect(`${short.stdout}${short.stderr}`).not.toContain('tiny-secret');
    const inArgv = await runInProcess([...hook, '--webhook-secret', 'x'.repeat(20)], env);
    expect(inArgv.code).toBe(2);
    expect(inArgv.stderr).toMatch(/Unknown option '--webhook-secret'/);
    expect(inArgv.stderr).not.toContain('x'.repeat(20));
    noStack(`${unset.stderr}${short.stderr}`);
    expect(sim.record.requests).toHaveLength(0);
  });

  it('needs IG_ACCESS_TOKEN and IG_USER_ID (exit 2)', async () => {
    const path = await ws.spec('ok.json', image);
    const run = await runInProcess(['publish', path, ...flags()], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/IG_ACCESS_TOKEN and IG_USER_ID are not set/);
    expect(sim.record.requests).toHaveLength(0);
  });

  it('prints NDJSON events with --json, ending with published, and exits 0', async () => {
    const path = await ws.spec('ok.json', image);
    const run = await runInProcess(['publish', path, ...flags(), '--json'], env);
    expect(run.code).toBe(0);
    const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const event of events) {
      expect(typeof event.type).toBe('string');
      expect(typeof event.postId).toBe('string');
      expect(Number.isNaN(Date.parse(String(event.at)))).toBe(false);
    }
    expect(events.filter((e) => e.type === 'state').map((e) => e.state)).toContain('publishing');
    expect(events.at(-1)).toMatchObject({ type: 'published', mediaId: sim.record.publishes[0]!.mediaId });
  });

  it('exits 1 for a post that fails for good; the last event says why, with no stack trace', async () => {
    sim.setScenario({ faults: [{ endpoint: 'create', fault: { type: 'containerError', subcode: 2207026 } }] });
    const path = await ws.spec('reel.json', { kind: 'reel', videoUrl: 'https://cdn.example/v.mov' });
    const run = await runInProcess(['publish', path, ...flags(), '--json'], env);
    expect(run.code).toBe(1);
    const last = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(last).toMatchObject({ type: 'failed', error: { code: null, subcode: 2207026, retryable: false } });
    expect(String((last.error as { message: string }).message)).toMatch(/2207026/);
    noStack(run.stdout + run.stderr);
  });

  it('shows plain progress lines and the remedy when not on a terminal', async () => {
    sim.setScenario({ faults: [{ endpoint: 'create', fault: { type: 'containerError', subcode: 2207026 } }] });
    const path = await ws.spec('reel.json', { kind: 'reel', videoUrl: 'https://cdn.example/v.mov' });
    const run = await runInProcess(['publish', path, ...flags()], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/failed: .*2207026/);
    expect(run.stdout).toMatch(/→ .*MP4/);
  });

  it('a refused token leaves the post stored (exit 75) and says what to do, on plain lines', async () => {
    sim.setScenario({ faults: [{ endpoint: 'create', fault: { type: 'graphError', code: 190, message: 'Invalid OAuth access token' } }] });
    const path = await ws.spec('ok.json', image);
    const run = await runInProcess(['publish', path, ...flags()], env);
    expect(run.code).toBe(75);
    expect(run.stdout).toMatch(/waiting for a valid access token: .*Invalid OAuth access token/);
    expect(run.stdout).toMatch(/→ Get a new access token/);
    expect(sim.record.count('create')).toBe(1);
  });

  it('returns the first result for the same id, without a second post', async () => {
    const path = await ws.spec('ok.json', { ...image, id: 'once' });
    expect((await runInProcess(['publish', path, ...flags()], env)).code).toBe(0);
    const again = await runInProcess(['publish', path, ...flags(), '--json'], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'published', mediaId: sim.record.publishes[0]!.mediaId });
    expect(sim.record.publishes).toHaveLength(1);
  });

  it('lists posts with status, and never writes the token anywhere', async () => {
    const path = await ws.spec('ok.json', { ...image, id: 'listed' });
    const publish = await runInProcess(['publish', path, ...flags(), '--json'], env);
    const status = await runInProcess(['status', '--store', ws.store], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^listed\s+post\s+published, media \d+/m);
    const json = await runInProcess(['status', '--store', ws.store, '--json'], env);
    expect(JSON.parse(json.stdout.trim())).toMatchObject({ key: 'listed', status: 'published' });
    const everything = [publish.stdout, publish.stderr, status.stdout, json.stdout, ...(await filesUnder(ws.store))].join('\n');
    expect(everything).not.toContain(TOKEN);
  });

  it('stores the post and exits 75 on SIGINT; resume finishes it with one Instagram post', async () => {
    sim.setScenario({ processing: { videoMs: [3_000, 3_000] } });
    const path = await ws.spec('reel.json', { kind: 'reel', videoUrl: 'https://cdn.example/slow.mp4' });
    const run = spawnCli(['publish', path, ...flags(), '--json'], env);
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (run.output().includes('"state":"polling"')) {
          clearInterval(check);
          resolve();
        }
      }, 10);
    });
    run.child.kill('SIGINT');
    const stopped = await run.done;
    expect(stopped.code).toBe(75);
    expect(stopped.stdout.trim().split('\n').at(-1)).toMatch(/"type":"interrupted"/);
    const [post] = (await fileStore(ws.store).posts.list({ status: 'unfinished' })).posts;
    expect(post).toMatchObject({ status: 'active' });
    expect(post!.lease).toBeUndefined();

    // the same container is polled on to FINISHED: never a second one
    const resumed = await runInProcess(['resume', ...flags(), '--json'], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(sim.record.publishes).toHaveLength(1);
    expect(sim.record.count('create')).toBe(1);
  }, 20_000);

  it('exits 75 when only a post waiting on the daily quota is left, and status says until when', async () => {
    sim.setScenario({ quotaTotal: 1 });
    expect((await runInProcess(['publish', await ws.spec('a.json', { ...image, id: 'first' }), ...flags()], env)).code).toBe(0);
    const second = await runInProcess(['publish', await ws.spec('b.json', { ...image, id: 'second' }), ...flags(), '--json'], env);
    expect(second.code).toBe(75);
    expect(second.stdout).toMatch(/"type":"waiting".*"reason":"quota"/);
    expect(sim.record.publishes).toHaveLength(1);
    const status = await runInProcess(['status', '--store', ws.store], env);
    expect(status.stdout).toMatch(/^second\s+post\s+waitingQuota, waiting \(quota\) until \d{4}-/m);
  });

  it('serves the simulator with `igflow simulate`, its URL on the first line, until SIGTERM', async () => {
    const run = spawnCli(['simulate', '--port', '0'], env);
    const url = await new Promise<string>((resolve) => {
      const check = setInterval(() => {
        const first = run.output().split('\n')[0];
        if (first && run.output().includes('\n')) {
          clearInterval(check);
          resolve(first);
        }
      }, 10);
    });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const answer = await fetch(`${url}/v25.0/${DEFAULT_ACCOUNT.igUserId}/content_publishing_limit`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(answer.status).toBe(200);
    run.child.kill('SIGTERM');
    expect((await run.done).code).toBe(0);
  });
});
