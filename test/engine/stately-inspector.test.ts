import { fileURLToPath } from 'node:url';
import { createInspectorServer } from '@statelyai/inspect/server';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/memory-store.js';
import { provideEffects } from '../../src/effects/provide-effects.js';
import type { Engine } from '../../src/engine/engine.js';
import { connectStatelyInspector } from '../../src/engine/stately-inspector.js';
import { judge } from '../../src/sim/oracle.js';
import { DEFAULT_ACCOUNT, startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { chartOf, chartOfDefinition } from '../support/chart.js';
import { connectViewer, freePort, inspectorServerProcess, type Viewer, type ViewedActor } from '../support/inspector-viewer.js';
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
