import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT, startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { jpeg, png } from '../support/media-fixtures.js';
import { makeCertificate, startMediaServer, type MediaServer, type TestCertificate } from '../support/media-server.js';
import { spawnCli, tempWorkspace } from './cli-harness.js';

const TOKEN = DEFAULT_ACCOUNT.token;
const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

/** `igflow publish` (the built CLI, a child process) against the simulator and a loopback HTTPS media host it trusts through NODE_EXTRA_CA_CERTS. */
describe('igflow publish checks media before any request', () => {
  let certificate: TestCertificate;
  let media: MediaServer;
  let sim: Simulator;
  let ws: Awaited<ReturnType<typeof tempWorkspace>>;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    certificate = makeCertificate();
    media = await startMediaServer(certificate);
    media.route('/photo.png', { kind: 'file', media: png(1080, 1080) });
    media.route('/tall.jpg', { kind: 'file', media: jpeg(300, 900) });
    media.route('/good.jpg', { kind: 'file', media: jpeg(1080, 1350) });
    media.route('/gone.jpg', { kind: 'status', status: 503 });
    env = { IG_ACCESS_TOKEN: TOKEN, IG_USER_ID: DEFAULT_ACCOUNT.igUserId, NODE_EXTRA_CA_CERTS: certificate.certPath };
  });
  afterAll(async () => {
    await media.close();
    certificate.cleanup();
  });
  beforeEach(async () => {
    sim = await startSimulator({ scenario: { processing: { imageMs: [20, 20], videoMs: [40, 40], parentMs: [20, 20] } } });
    ws = await tempWorkspace();
  });
  afterEach(async () => {
    await sim.close();
    await ws.close();
    media.requests.length = 0;
  });
  const flags = () => ['--store', ws.store, '--graph-url', sim.url, '--poll-interval', '10'];

  it('exits 2 on a PNG, naming its path, with no Graph request and nothing stored', async () => {
    const spec = await ws.spec('png.json', { kind: 'image', id: 'png-post', imageUrl: `${media.url}/photo.png`, caption: 'a PNG' });
    const run = await spawnCli(['publish', spec, ...flags()], env).done;
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^igflow: media Instagram would refuse \(1 problem\):\nimageUrl: is a PNG image, not a JPEG: Instagram takes only JPEG for feed images; convert it to JPEG\n/);
    noStack(run.stderr);
    expect(run.stderr).not.toContain(TOKEN);
    expect(sim.record.requests).toEqual([]);
    expect(media.requests.map((r) => r.path)).toEqual(['/photo.png']);
    const status = await spawnCli(['status', '--store', ws.store], env).done;
    expect(status.stdout).not.toContain('png-post');
  });

  it('lists a 1:3 image and a PNG of a carousel together, each by its item path', async () => {
    const spec = await ws.spec('carousel.json', { kind: 'carousel', caption: 'three', items: [{ imageUrl: `${media.url}/good.jpg` }, { imageUrl: `${media.url}/tall.jpg` }, { imageUrl: `${media.url}/photo.png` }] });
    const run = await spawnCli(['publish', spec, ...flags(), '--json'], env).done;
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('items[1].imageUrl: is 300 × 900 (aspect ratio 0.33:1): Instagram takes carousel images from 4:5 (0.8:1) to 1.91:1; crop it');
    expect(run.stderr).toContain('items[2].imageUrl: is a PNG image');
    expect(run.stdout).toBe('');
    expect(sim.record.requests).toEqual([]);
  });

  it('publishes the PNG with --no-media-checks, without reading it', async () => {
    const spec = await ws.spec('png.json', { kind: 'image', imageUrl: `${media.url}/photo.png`, caption: 'a PNG' });
    const run = await spawnCli(['publish', spec, ...flags(), '--no-media-checks'], env).done;
    expect(run.code).toBe(0);
    expect(media.requests).toEqual([]);
    expect(sim.record.publishes).toHaveLength(1);
  });

  it('prints a warning for a media it cannot read (503) and publishes', async () => {
    const spec = await ws.spec('gone.json', { kind: 'image', imageUrl: `${media.url}/gone.jpg`, caption: 'unreadable' });
    const run = await spawnCli(['publish', spec, ...flags(), '--json'], env).done;
    expect(run.code).toBe(0);
    const events = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; path?: string; message?: string });
    expect(events.map((e) => e.type).slice(0, 2)).toEqual(['accepted', 'warning']);
    expect(events[1]).toMatchObject({ path: 'imageUrl', message: 'not checked: it answered HTTP 503; Instagram may still reach it, so the post goes on' });
    expect(events.at(-1)?.type).toBe('published');
    expect(run.stdout).not.toContain(TOKEN);
  });
});
