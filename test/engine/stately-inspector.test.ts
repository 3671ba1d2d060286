import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createInspectorServer } from '@statelyai/inspect/server';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/memory-store.js';
import { parseCommandLine } from '../../src/cli/args.js';
import { usage } from '../../src/cli/usage.js';
import { provideEffects } from '../../src/effects/provide-effects.js';
import type { Engine } from '../../src/engine/engine.js';
import { connectStatelyInspector, DEFAULT_INSPECTOR_URL } from '../../src/engine/stately-inspector.js';
import { judge } from '../../src/sim/oracle.js';
import { DEFAULT_ACCOUNT, startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { chartOf, chartOfDefinition } from '../support/chart.js';
import { connectViewer, freePort, inspectorServerProcess, type Viewer, type ViewedActor } from '../support/inspector-viewer.js';
import { spawnCli, tempWorkspace } from '../cli/cli-harness.js';
import { virtualEngine } from '../support/virtual-engine.js';

const TOKEN = DEFAULT_ACCOUNT.token;
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const image = { kind: 'image', imageUrl: 'https://cdn.example/inspected.jpg', caption: 'an inspected image' };
const carousel = {
  id: 'summer-carousel',
  kind: 'carousel',
  caption: 'an inspected carousel',
  items: Array.from({ length: 10 }, (_, i) => ({ imageUrl: `https://cdn.example/c${i}.jpg` })),
};
/** The single image and the carousel parent take four minutes to process, so both posts are live for a while; the items 2 s. */
const scenario = {
  processing: { imageMs: [2_000, 2_000] as [number, number], parentMs: [240_000, 240_000] as [number, number] },
  faults: [{ endpoint: 'create' as const, kind: 'image' as const, isCarouselItem: false, fault: { type: 'processingMs' as const, ms: 240_000 } }],
};

/** The machines' own definitions (what the charts must equal), by machine id. */
const machines = provideEffects({ clock: new VirtualClock(), graphFor: () => Promise.reject(new Error('never called')) as never });

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function world() {
  const clock = new VirtualClock();
  const sim: Simulator = await startSimulator({ clock, scenario });
  cleanups.push(() => sim.close());
  return { clock, sim };
}

function engineWith(clock: VirtualClock, sim: Simulator, url: string): Engine {
  const engine = virtualEngine({
    store: memoryStore(),
    clock,
    graph: { accessToken: TOKEN, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url },
    // frequent polls, never parked: the actors stay live and send many messages
    pollIntervalMs: 500,
    parkAfterMs: 3_600_000,
    inspector: connectStatelyInspector({ url, retryMs: 20, clock }),
  });
  cleanups.push(() => engine.shutdown());
  return engine;
}

async function viewer(url: string): Promise<Viewer> {
  const connected = await connectViewer(url);
  cleanups.push(() => connected.close());
  return connected;
}

/** Lets virtual time pass (the engine's polls run meanwhile). */
const passTime = (clock: VirtualClock, ms: number) => clock.run(new Promise<void>((resolve) => clock.schedule(() => resolve(), ms)));

/** The machines a viewer would draw as running, by session id: name and state. */
const liveOf = (seen: Viewer) =>
  Object.fromEntries(
    [...seen.actors().values()]
      .filter((actor) => actor.snapshot.status === 'active')
      .sort((a, b) => a.sessionId.localeCompare(b.sessionId))
      .map((actor) => [actor.sessionId, { name: actor.name, value: actor.snapshot.value }]),
  );

const rootsOf = (seen: Viewer): ViewedActor[] => [...seen.actors().values()].filter((actor) => actor.parentId === undefined);

/** A root actor named `name` whose snapshot says it published. */
const publishedRoot = (seen: Viewer, name: string) => rootsOf(seen).some((root) => root.name === name && root.snapshot.status === 'done' && root.snapshot.value === 'published');

function expectChartsEqualTheMachines(seen: Viewer) {
  const definitions = new Map<string, string>();
  for (const actor of seen.actors().values()) definitions.set((JSON.parse(actor.definition) as { id: string }).id, actor.definition);
  expect([...definitions.keys()].sort()).toEqual(['carousel', 'container', 'post']);
  for (const [id, definition] of definitions) expect(chartOfDefinition(definition), `the ${id} chart`).toEqual(chartOf(machines[id as keyof typeof machines]));
}

describe('the Stately inspector, on a real @statelyai/inspect server', () => {
  it('a viewer that connects late gets every live post, named by its key or id, with its current state; the charts are the machines; no token', async () => {
    const { clock, sim } = await world();
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}`;
    const server = createInspectorServer({ port, autoOpen: false });
    cleanups.push(() => server.stop());
    const early = await viewer(url);
    const engine = engineWith(clock, sim, url);

    const imagePost = await engine.publish(image);
    const carouselPost = await engine.publish(carousel);
    await passTime(clock, 180_000);
    await early.until('both posts', () => rootsOf(early).length === 2);
    const names = rootsOf(early).map((root) => root.name);
    // the carousel by its key, the image (no key) by its post id: never `post` for all
    expect(names.sort()).toEqual([imagePost.postId, 'summer-carousel'].sort());

    // the server replays its last 200 messages: by now the first registrations are long gone from them
    await early.until('more than 300 messages', () => early.raw.length > 300);
    const firstRegistration = early.raw.findIndex((text) => text.includes('"@xstate.actor"'));
    expect(early.raw.length - firstRegistration).toBeGreaterThan(200);

    const late = await viewer(url);
    await late.until('what the early viewer sees', () => JSON.stringify(liveOf(late)) === JSON.stringify(liveOf(early)));
    expect(late.raw).not.toContain(early.raw[firstRegistration]);
    expect(rootsOf(late).map((root) => root.name).sort()).toEqual(names.sort());
    // the current state: both still processing their container, as the store says
    for (const root of rootsOf(late)) expect(root.snapshot).toMatchObject({ status: 'active', value: { preparing: root.name === 'summer-carousel' ? 'carousel' : 'single' } });
    expect((await engine.get(imagePost.postId))?.state).toBe('preparing');
    expectChartsEqualTheMachines(late);

    const [imageResult, carouselResult] = await clock.run(Promise.all([imagePost.result, carouselPost.result]));
    expect(judge(sim.record)).toEqual([]);
    expect(sim.record.publishes.map((p) => p.mediaId).sort()).toEqual([imageResult.mediaId, carouselResult.mediaId].sort());
    for (const seen of [early, late]) await seen.until('both posts published', () => publishedRoot(seen, imagePost.postId) && publishedRoot(seen, 'summer-carousel'));

    // and one opened after the end still finds both, published
    const last = await viewer(url);
    await last.until('both posts published', () => publishedRoot(last, imagePost.postId) && publishedRoot(last, 'summer-carousel'));

    await engine.shutdown();
    for (const seen of [early, late, last]) {
      expect(seen.raw.join('\n')).toContain('an inspected carousel'); // context is sent, so a token there would be seen
      for (const text of seen.raw) expect(text).not.toContain(TOKEN);
    }
    // only machines: none of the effects' helper actors
    expect(new Set([...early.actors().values()].map((actor) => actor.name))).toEqual(new Set([imagePost.postId, 'summer-carousel', 'container', ...carousel.items.map((_, i) => `item-${i}`), 'parent']));
  }, 60_000);

  it('after the server restarts, every live machine is registered again with its current state, then only new events: nothing is replayed', async () => {
    const { clock, sim } = await world();
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}`;
    const first = inspectorServerProcess(port, repoRoot);
    cleanups.push(() => first.kill());
    const before = await viewer(url);
    const engine = engineWith(clock, sim, url);
    const imagePost = await engine.publish(image);
    const carouselPost = await engine.publish(carousel);
    await passTime(clock, 30_000);
    await before.until('both posts', () => rootsOf(before).length === 2);
    const liveBefore = liveOf(before);

    await first.kill();
    const second = inspectorServerProcess(port, repoRoot);
    cleanups.push(() => second.kill());
    const after = await viewer(url);
    await after.until('every machine live before the restart', () => Object.keys(liveBefore).every((sessionId) => after.actors().has(sessionId)));
    // first the registrations, one per live machine, with their current state
    const keyframe = after.messages().slice(0, Object.keys(liveBefore).length);
    expect(keyframe.map((m) => m.type)).toEqual(keyframe.map(() => '@xstate.actor'));
    expect(new Set(keyframe.map((m) => m.sessionId))).toEqual(new Set(Object.keys(liveBefore)));
    for (const m of keyframe) expect(m.snapshot?.status).toBe('active');

    await clock.run(Promise.all([imagePost.result, carouselPost.result]));
    await after.until('both posts published', () => publishedRoot(after, imagePost.postId) && publishedRoot(after, 'summer-carousel'));
    // nothing delivered before the restart came again
    const delivered = new Set(before.raw);
    expect(after.raw.filter((text) => delivered.has(text))).toEqual([]);
    for (const text of [...before.raw, ...after.raw]) expect(text).not.toContain(TOKEN);
    expect(judge(sim.record)).toEqual([]);
  }, 60_000);
});

/** Waits for a child process to exit by itself; kills it and says so after `ms`. */
function exitOf(child: ReturnType<typeof spawn>, ms: number): Promise<number | 'hung'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('hung');
    }, ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? -1);
    });
  });
}

/** A simulator on real time with images ready almost at once, and a real inspector server with a viewer. */
async function realTimeWorld() {
  const sim = await startSimulator({ scenario: { processing: { imageMs: [10, 10], parentMs: [10, 10] } } });
  cleanups.push(() => sim.close());
  const port = await freePort();
  const url = `ws://127.0.0.1:${port}`;
  const server = createInspectorServer({ port, autoOpen: false });
  cleanups.push(() => server.stop());
  return { sim, url, page: await viewer(url) };
}

describe('an app with the Stately inspector exits after shutdown()', () => {
  it("the README's snippet, run as it is against the simulator, publishes, shows its post in the inspector and exits by itself", async () => {
    const { sim, url, page } = await realTimeWorld();
    const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
    const marker = readme.indexOf('<!-- inspector-snippet');
    const begin = readme.indexOf('```ts\n', marker) + '```ts\n'.length;
    const snippet = readme.slice(begin, readme.indexOf('```', begin));
    expect(snippet).toContain('await engine.shutdown()');
    const dir = await mkdtemp(join(tmpdir(), 'igflow-inspector-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'launch.mts'), snippet.replace("from 'igflow'", `from ${JSON.stringify(pathToFileURL(join(repoRoot, 'src/index.ts')).href)}`));

    const tsx = pathToFileURL(join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href;
    const child = spawn(process.execPath, ['--import', tsx, 'launch.mts'], {
      cwd: dir,
      env: { PATH: process.env.PATH, IG_ACCESS_TOKEN: TOKEN, IG_USER_ID: DEFAULT_ACCOUNT.igUserId, IG_GRAPH_URL: sim.url, IGFLOW_INSPECT_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    // nothing holds it once the post is published (a few seconds of polling): an open inspector connection would, for ever
    expect(await exitOf(child, 40_000), `the app should exit by itself (output: ${out})`).toBe(0);

    expect(judge(sim.record)).toEqual([]);
    expect(sim.record.publishes).toHaveLength(1);
    expect(out).toContain(sim.record.publishes[0]!.mediaId);
    await page.until('the post published', () => publishedRoot(page, 'launch-photo'));
    for (const text of page.raw) expect(text).not.toContain(TOKEN);
  }, 60_000);

  it('igflow publish --inspect URL streams the post to the server, named by its id, and exits 0 by itself', async () => {
    const { sim, url, page } = await realTimeWorld();
    const ws = await tempWorkspace();
    cleanups.push(() => ws.close());
    const spec = await ws.spec('post.json', { ...carousel, id: 'cli-carousel', items: carousel.items.slice(0, 2) });
    const run = spawnCli(['publish', spec, '--inspect', url, '--graph-url', sim.url, '--poll-interval', '5', '--store', ws.store, '--json'], {
      IG_ACCESS_TOKEN: TOKEN,
      IG_USER_ID: DEFAULT_ACCOUNT.igUserId,
    });
    const code = await exitOf(run.child, 40_000);
    expect(code, `igflow publish should exit by itself (stderr: ${run.errors()})`).toBe(0);
    expect(judge(sim.record)).toEqual([]);
    await page.until('the carousel published', () => publishedRoot(page, 'cli-carousel'));
    expect(new Set([...page.actors().values()].map((actor) => actor.name))).toEqual(new Set(['cli-carousel', 'container', 'item-0', 'item-1', 'parent']));
    for (const text of page.raw) expect(text).not.toContain(TOKEN);
  }, 60_000);

  it('--inspect takes a ws:// URL when one follows, else the default, on publish, resume and work only', () => {
    expect(parseCommandLine(['publish', '--inspect', 'post.json'])).toMatchObject({ positionals: ['post.json'], options: { inspect: DEFAULT_INSPECTOR_URL } });
    expect(parseCommandLine(['publish', 'post.json', '--inspect', 'ws://127.0.0.1:9000'])).toMatchObject({ positionals: ['post.json'], options: { inspect: 'ws://127.0.0.1:9000' } });
    expect(parseCommandLine(['resume', '--inspect=wss://inspect.example/x']).options.inspect).toBe('wss://inspect.example/x');
    expect(parseCommandLine(['work', '--inspect']).options.inspect).toBe(DEFAULT_INSPECTOR_URL);
    expect(parseCommandLine(['resume']).options.inspect).toBeUndefined();
    expect(() => parseCommandLine(['publish', 'post.json', '--inspect=http://localhost:8080'])).toThrow(/--inspect takes a ws:\/\/ or wss:\/\/ URL/);
    expect(() => parseCommandLine(['status', '--inspect'])).toThrow(/igflow status does not take --inspect/);
    expect(usage.match(/\[--inspect \[ws-url\]\]/g)).toHaveLength(3);
  });
});
