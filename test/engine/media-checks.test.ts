import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/memory-store.js';
import type { Engine, EngineOptions } from '../../src/index.js';
import type { EngineEvent } from '../../src/engine/engine-events.js';
import { InvalidMedia } from '../../src/media/invalid-media.js';
import { InvalidPostSpec } from '../../src/spec/invalid-post-spec.js';
import { limits } from '../../src/spec/limits.js';
import { judge } from '../../src/sim/oracle.js';
import { DEFAULT_ACCOUNT, startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { bytesOf, jpeg, mp4, png } from '../support/media-fixtures.js';
import { makeCertificate, startMediaServer, type MediaServer, type TestCertificate } from '../support/media-server.js';
import { virtualEngine } from '../support/virtual-engine.js';

const MB = 1024 * 1024;
const HEAD = limits.mediaCheck.headBytes;

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('media checks before any container', () => {
  let certificate: TestCertificate;
  let media: MediaServer;
  let sim: Simulator | undefined;
  let dispatcher: Agent;
  const engines: Engine[] = [];

  beforeAll(async () => {
    certificate = makeCertificate();
    media = await startMediaServer(certificate);
    // real TLS to the loopback host, trusting only the test's own certificate
    dispatcher = new Agent({ connect: { ca: certificate.cert } });
    media.route('/good.jpg', { kind: 'file', media: jpeg(1080, 1350) });
    media.route('/square.jpg', { kind: 'file', media: jpeg(1080, 1080) });
    media.route('/wide.jpg', { kind: 'file', media: jpeg(1910, 1000) });
    media.route('/photo.png', { kind: 'file', media: png(1080, 1080) });
    media.route('/tall.jpg', { kind: 'file', media: jpeg(300, 900) });
    media.route('/huge.jpg', { kind: 'file', media: jpeg(1080, 1080, { dataBytes: 9 * MB }) });
    media.route('/reel.mp4', { kind: 'file', media: mp4(20_000, { moov: 'front' }) });
    media.route('/moov-at-end.mp4', { kind: 'file', media: mp4(20_000, { moov: 'end', mdatBytes: 2 * MB }) });
    media.route('/long.mp4', { kind: 'file', media: mp4(20 * 60_000, { moov: 'front' }) });
    media.route('/short.mp4', { kind: 'file', media: mp4(2_000, { moov: 'front' }) });
    media.route('/minute-and-a-half.mp4', { kind: 'file', media: mp4(90_000, { moov: 'front' }) });
    media.route('/big-story.mp4', { kind: 'file', media: mp4(30_000, { moov: 'front', mdatBytes: 120 * MB }) });
    media.route('/big-reel-no-range.mp4', { kind: 'file', media: mp4(30_000, { moov: 'front', mdatBytes: 400 * MB }), ignoreRange: true });
    media.route('/good-no-range.jpg', { kind: 'file', media: jpeg(1080, 1350, { dataBytes: 2 * MB }), ignoreRange: true });
    media.route('/gone.jpg', { kind: 'status', status: 404 });
    media.route('/loop.jpg', { kind: 'redirect-loop' });
    media.route('/hang.jpg', { kind: 'hang' });
    media.route('/trickle.jpg', { kind: 'trickle', everyMs: 20, maxBytes: 1_000 });
    media.route('/deep-header.jpg', { kind: 'file', media: jpeg(300, 900, { paddingBytes: 300 * 1024 }) });
  });
  afterAll(async () => {
    await media.close();
    await dispatcher.close();
    certificate.cleanup();
  });
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.shutdown()));
    if (sim) expect(judge(sim.record)).toEqual([]);
    await sim?.close();
    sim = undefined;
    media.requests.length = 0;
  });

  async function setup(extra: Partial<Omit<EngineOptions, 'clock' | 'store' | 'graph'>> = {}) {
    const clock = new VirtualClock();
    sim = await startSimulator({ clock, scenario: { processing: { imageMs: [1_000, 1_000], videoMs: [5_000, 5_000], parentMs: [1_000, 1_000] } } });
    const store = memoryStore();
    const engine = virtualEngine({ store, clock, graph: { accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url, login: 'facebook' }, pollIntervalMs: 10, mediaChecks: { dispatcher }, ...extra });
    engines.push(engine);
    return { clock, engine, sim, store };
  }

  /** Publishes a spec the checks must refuse: the InvalidMedia it threw, after checking that nothing was stored or sent. */
  async function refused(spec: unknown): Promise<InvalidMedia> {
    const { engine, sim, store } = await setup();
    const error = await engine.publish(spec).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(InvalidMedia);
    expect(error).toBeInstanceOf(InvalidPostSpec);
    // refused before any Graph request, and nothing stored
    expect(sim.record.requests).toEqual([]);
    expect((await store.posts.list({ status: 'unfinished' })).posts).toEqual([]);
    return error as InvalidMedia;
  }

  it('refuses a PNG feed image by its path, before any Graph request, and reads only a range of it', async () => {
    const error = await refused({ kind: 'image', imageUrl: `${media.url}/photo.png`, caption: 'png' });
    expect(error.issues).toEqual([{ path: 'imageUrl', message: expect.stringMatching(/is a PNG image, not a JPEG: Instagram takes only JPEG/) as unknown }]);
    expect(error.message).toMatch(/^media Instagram would refuse \(1 problem\):\nimageUrl: is a PNG image/);
    expect(media.requests).toEqual([{ path: '/photo.png', range: `bytes=0-${HEAD - 1}`, bytesSent: png(1080, 1080).size }]);
  });

  it('lists every refused media of a carousel at once, each with its path (a 1:3 image and a PNG), and passes the good ones', async () => {
    const error = await refused({
      kind: 'carousel',
      caption: 'three',
      items: [{ imageUrl: `${media.url}/good.jpg` }, { imageUrl: `${media.url}/tall.jpg` }, { imageUrl: `${media.url}/photo.png` }, { videoUrl: `${media.url}/reel.mp4` }],
    });
    expect(error.issues.map((i) => i.path)).toEqual(['items[1].imageUrl', 'items[2].imageUrl']);
    expect(error.issues[0]!.message).toMatch(/is 300 × 900 \(aspect ratio 0\.33:1\): Instagram takes carousel images from 4:5/);
    expect(error.issues[1]!.message).toMatch(/PNG/);
  });

  it('refuses a feed image over 8 MB by the total of its Content-Range', async () => {
    const error = await refused({ kind: 'image', imageUrl: `${media.url}/huge.jpg` });
    expect(error.issues).toEqual([{ path: 'imageUrl', message: expect.stringMatching(/^is 9\.0 MB \(\d+ bytes\): Instagram takes images of at most 8\.0 MB$/) as unknown }]);
    expect(media.requests[0]!.bytesSent).toBe(HEAD);
  });

  it('refuses a 1:3 feed image but publishes it as a story (stories have no ratio rule), and accepts 4:5, 1:1 and 1.91:1', async () => {
    const error = await refused({ kind: 'image', imageUrl: `${media.url}/tall.jpg` });
    expect(error.issues.map((i) => i.path)).toEqual(['imageUrl']);
    await Promise.all(engines.splice(0).map((e) => e.shutdown()));
    await sim?.close();
    sim = undefined;
    const { clock, engine, sim: world } = await setup();
    const story = await engine.publish({ kind: 'story', imageUrl: `${media.url}/tall.jpg` });
    const feed = await Promise.all(['good', 'square', 'wide'].map((name) => engine.publish({ kind: 'image', imageUrl: `${media.url}/${name}.jpg`, caption: name })));
    await clock.run(Promise.all([story.result, ...feed.map((h) => h.result)]));
    expect(world.record.publishes).toHaveLength(4);
  });

  it('refuses a reel whose moov atom is behind its media data, reading only the first bytes of it', async () => {
    const error = await refused({ kind: 'reel', videoUrl: `${media.url}/moov-at-end.mp4` });
    expect(error.issues).toEqual([{ path: 'videoUrl', message: expect.stringMatching(/moov atom after the media data \(mdat\): Instagram needs it at the front/) as unknown }]);
    expect(media.requests[0]!.bytesSent).toBe(HEAD);
  });

  it('refuses videos outside the duration or size limits of their kind: a 20-minute reel, a 2 s reel, a 90 s story, a 120 MB story', async () => {
    const long = await refused({ kind: 'reel', videoUrl: `${media.url}/long.mp4` });
    expect(long.issues).toEqual([{ path: 'videoUrl', message: 'lasts 20 min: Instagram takes a reel of at most 15 min' }]);
    const short = await refused({ kind: 'reel', videoUrl: `${media.url}/short.mp4` });
    expect(short.issues).toEqual([{ path: 'videoUrl', message: 'lasts 2 s: Instagram takes a reel of at least 3 s' }]);
    const stories = await refused({ kind: 'stories', items: [{ imageUrl: `${media.url}/good.jpg` }, { videoUrl: `${media.url}/minute-and-a-half.mp4` }, { videoUrl: `${media.url}/big-story.mp4` }] });
    expect(stories.issues).toEqual([
      { path: 'items[1].videoUrl', message: 'lasts 90 s: Instagram takes a story video of at most 1 min' },
      { path: 'items[2].videoUrl', message: expect.stringMatching(/^is 120\.0 MB \(\d+ bytes\): Instagram takes a story video of at most 100\.0 MB$/) as unknown },
    ]);
  });

  it('reads a server that ignores Range only up to the bound, then drops it: a 400 MB reel refused by its Content-Length', async () => {
    const error = await refused({ kind: 'reel', videoUrl: `${media.url}/big-reel-no-range.mp4` });
    expect(error.issues).toEqual([{ path: 'videoUrl', message: expect.stringMatching(/^is 400\.0 MB \(\d+ bytes\): Instagram takes a reel of at most 300\.0 MB$/) as unknown }]);
    // the server got out far less than the file before the check dropped it (its socket buffers included)
    await new Promise((resolve) => setImmediate(resolve));
    expect(media.requests[0]!.bytesSent).toBeLessThan(16 * MB);
  });

  it('publishes good media: a reel with moov at the front, a carousel with a 90 s video, an image from a server ignoring Range', async () => {
    const { clock, engine, sim: world } = await setup();
    const reel = await engine.publish({ kind: 'reel', videoUrl: `${media.url}/reel.mp4`, caption: 'fast start' });
    const carousel = await engine.publish({ kind: 'carousel', caption: 'mixed', items: [{ imageUrl: `${media.url}/good.jpg` }, { videoUrl: `${media.url}/minute-and-a-half.mp4` }] });
    const image = await engine.publish({ kind: 'image', imageUrl: `${media.url}/good-no-range.jpg`, caption: 'no range' });
    await clock.run(Promise.all([reel.result, carousel.result, image.result]));
    expect(world.record.publishes).toHaveLength(3);
  });

  it('warns about media it cannot reach (refused, 404, a redirect loop) and publishes the post all the same', async () => {
    const { clock, engine, sim: world } = await setup();
    const refusedUrl = `https://127.0.0.1:${await closedPort()}/a.jpg`;
    const handle = await engine.publish({
      kind: 'carousel',
      caption: 'unreachable',
      items: [{ imageUrl: refusedUrl }, { imageUrl: `${media.url}/gone.jpg` }, { imageUrl: `${media.url}/loop.jpg` }],
    });
    const events: EngineEvent[] = [];
    handle.events$.subscribe((e) => events.push(e));
    await clock.run(handle.result);
    const warnings = events.filter((e): e is Extract<EngineEvent, { type: 'warning' }> => e.type === 'warning');
    expect(warnings.map((w) => [w.path, w.postId])).toEqual([
      ['items[0].imageUrl', handle.postId],
      ['items[1].imageUrl', handle.postId],
      ['items[2].imageUrl', handle.postId],
    ]);
    expect(warnings[0]!.message).toMatch(/^not checked: it could not be reached \(ECONNREFUSED\); Instagram may still reach it/);
    expect(warnings[1]!.message).toMatch(/it answered HTTP 404/);
    expect(warnings[2]!.message).toMatch(/it redirected more than 5 times/);
    // the warnings come right after `accepted`, and the post went on to Instagram
    expect(events.slice(0, 4).map((e) => e.type)).toEqual(['accepted', 'warning', 'warning', 'warning']);
    expect(world.record.publishes).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(DEFAULT_ACCOUNT.token);
  });

  it('gives up on a server that never answers at its time bound on the injected clock, warns, and publishes', async () => {
    const { clock, engine, sim: world } = await setup({ mediaChecks: { dispatcher, timeoutMs: 10_000 } });
    const started = clock.now();
    const realStart = Date.now();
    // the whole publish runs on the virtual clock: the check's deadline is a timer on it
    const handle = await clock.run(engine.publish({ kind: 'image', imageUrl: `${media.url}/hang.jpg`, caption: 'hang' }));
    expect(clock.now() - started).toBe(10_000);
    expect(Date.now() - realStart).toBeLessThan(5_000);
    const events: EngineEvent[] = [];
    handle.events$.subscribe((e) => events.push(e));
    await clock.run(handle.result);
    expect(events.find((e) => e.type === 'warning')).toMatchObject({ path: 'imageUrl', message: expect.stringMatching(/did not answer within 10000 ms/) as unknown });
    expect(world.record.publishes).toHaveLength(1);
  });

  it('gives up on a body that trickles forever at its time bound on the injected clock, having read a few bytes', async () => {
    const { clock, engine } = await setup({ mediaChecks: { dispatcher, timeoutMs: 10_000 } });
    const started = clock.now();
    // every chunk resets undici's idle timeouts: only the deadline for the whole read ends it
    const handle = await clock.run(engine.publish({ kind: 'image', imageUrl: `${media.url}/trickle.jpg`, caption: 'trickle' }));
    expect(clock.now() - started).toBe(10_000);
    const events: EngineEvent[] = [];
    handle.events$.subscribe((e) => events.push(e));
    await clock.run(handle.result);
    expect(events.find((e) => e.type === 'warning')).toMatchObject({ path: 'imageUrl', message: expect.stringMatching(/did not answer within 10000 ms/) as unknown });
    expect(media.requests[0]!.bytesSent).toBeLessThan(1_000);
  });

  it('gives up on a server that never answers within a short real timeout when the clock stands still', async () => {
    const { engine } = await setup({ mediaChecks: { dispatcher, timeoutMs: 300 } });
    const realStart = Date.now();
    // outside clock.run the virtual clock stands still: undici's headers timeout (the same bound, in real time) ends it
    const handle = await engine.publish({ kind: 'image', imageUrl: `${media.url}/hang.jpg`, caption: 'hang' });
    expect(Date.now() - realStart).toBeLessThan(3_000);
    expect(Date.now() - realStart).toBeGreaterThanOrEqual(250);
    const events: EngineEvent[] = [];
    handle.events$.subscribe((e) => events.push(e));
    expect(events.find((e) => e.type === 'warning')).toMatchObject({ path: 'imageUrl', message: expect.stringMatching(/did not answer within 300 ms/) as unknown });
  });

  it('refuses through enqueue too: nothing stored for a worker to pick up', async () => {
    const { engine, sim: world, store } = await setup();
    await expect(engine.enqueue({ kind: 'story', imageUrl: `${media.url}/photo.png` })).rejects.toBeInstanceOf(InvalidMedia);
    expect((await store.posts.list({ status: 'unfinished' })).posts).toEqual([]);
    expect(world.record.requests).toEqual([]);
  });

  it('warns, and publishes, when a JPEG frame header lies beyond the bytes it reads (the 1:3 ratio goes unseen)', async () => {
    const { clock, engine, sim: world } = await setup();
    const handle = await engine.publish({ kind: 'image', imageUrl: `${media.url}/deep-header.jpg`, caption: 'deep' });
    const events: EngineEvent[] = [];
    handle.events$.subscribe((e) => events.push(e));
    await clock.run(handle.result);
    expect(events.find((e) => e.type === 'warning')).toMatchObject({ path: 'imageUrl', message: `partly checked: its width and height are not in its first ${HEAD} bytes, so its aspect ratio was not checked` });
    expect(media.requests[0]!.bytesSent).toBe(HEAD);
    expect(world.record.publishes).toHaveLength(1);
  });

  it('skips the checks when the engine says mediaChecks: false, or the spec checkMedia: false', async () => {
    const { clock, engine, sim: world } = await setup({ mediaChecks: false });
    const first = await engine.publish({ kind: 'image', imageUrl: `${media.url}/photo.png`, caption: 'engine opt-out' });
    await clock.run(first.result);
    expect(media.requests).toEqual([]);
    expect(world.record.publishes).toHaveLength(1);
    await Promise.all(engines.splice(0).map((e) => e.shutdown()));
    await sim?.close();
    sim = undefined;
    const other = await setup();
    const second = await other.engine.publish({ kind: 'image', imageUrl: `${media.url}/photo.png`, caption: 'spec opt-out', checkMedia: false });
    await other.clock.run(second.result);
    expect(media.requests).toEqual([]);
    expect(other.sim.record.publishes).toHaveLength(1);
  });

  it('checks a local videoFile from its first bytes too: moov at the end is refused by its path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'igflow-media-'));
    try {
      const path = join(dir, 'camera.mp4');
      await writeFile(path, bytesOf(mp4(20_000, { moov: 'end', mdatBytes: 1 * MB })));
      const error = await refused({ kind: 'carousel', items: [{ imageUrl: `${media.url}/good.jpg` }, { videoFile: path }] });
      expect(error.issues).toEqual([{ path: 'items[1].videoFile', message: expect.stringMatching(/moov atom after the media data/) as unknown }]);
      const fine = join(dir, 'fine.mp4');
      await writeFile(fine, bytesOf(mp4(20_000, { moov: 'front', mdatBytes: 1 * MB })));
      const { clock, engine, sim: world } = await setup();
      const handle = await engine.publish({ kind: 'reel', videoFile: fine, caption: 'from disk' });
      await clock.run(handle.result);
      expect(world.record.publishes).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
