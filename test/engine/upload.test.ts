import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/memory-store.js';
import type { Store } from '../../src/adapters/store.js';
import type { Engine } from '../../src/engine/engine.js';
import type { EngineEvent } from '../../src/engine/engine-events.js';
import { PostFailed } from '../../src/engine/post-errors.js';
import { InvalidPostSpec } from '../../src/spec/invalid-post-spec.js';
import { judge } from '../../src/sim/oracle.js';
import { createPrng } from '../../src/sim/prng.js';
import { DEFAULT_ACCOUNT, startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { writeVideoFile } from '../support/video-file.js';
import { virtualEngine } from '../support/virtual-engine.js';

const MB = 1024 * 1024;

describe('local videos through the resumable upload', () => {
  let sim: Simulator | undefined;
  let dir: string;
  const engines: Engine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.shutdown()));
    // judged by what Instagram saw: no publish before the upload, no offset Instagram did not have
    if (sim) expect(judge(sim.record)).toEqual([]);
    await sim?.close();
    sim = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function setup(store: Store = memoryStore(), login: 'facebook' | 'instagram' = 'facebook') {
    dir = await mkdtemp(join(tmpdir(), 'igflow-upload-'));
    const clock = new VirtualClock();
    sim = await startSimulator({ clock, scenario: { processing: { imageMs: [1_000, 1_000], videoMs: [20_000, 20_000], parentMs: [1_000, 1_000] } } });
    const engine = virtualEngine({ store, clock, graph: { accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url, login } });
    engines.push(engine);
    return { clock, engine, sim, store };
  }

  it('publishes a reel from a local file: one container, its bytes intact, one publish, progress up to the last byte', async () => {
    const { clock, engine, sim } = await setup();
    const path = join(dir, 'reel.mp4');
    const sha256 = await writeVideoFile(path, 3 * MB);
    const handle = await engine.publish({ kind: 'reel', videoFile: path, caption: 'from disk' });
    const events = lastValueFrom(handle.events$.pipe(toArray()));
    const result = await clock.run(handle.result);
    expect(sim.record.containers).toHaveLength(1);
    const container = sim.record.containers[0]!;
    expect(sim.record.uploadOf(container.id)).toMatchObject({ fileSize: 3 * MB, received: 3 * MB, bytesSent: 3 * MB, attempts: 1, sha256 });
    expect(sim.record.publishes.map((p) => p.mediaId)).toEqual([result.mediaId]);
    const uploads = (await events).filter((e): e is Extract<EngineEvent, { type: 'upload' }> => e.type === 'upload');
    expect(uploads.at(-1)).toMatchObject({ containerId: container.id, sent: 3 * MB, total: 3 * MB });
    // the stored post names the file pinned by size and hash, never the token
    const stored = await engine.get(handle.postId);
    expect(stored?.spec).toMatchObject({ videoFile: { path, size: 3 * MB, sha256 } });
    expect(JSON.stringify(stored)).not.toContain(DEFAULT_ACCOUNT.token);
  });

  it('rides out resets at random offsets of a 50 MB file, sending each byte about once', async () => {
    const { clock, engine, sim } = await setup();
    const path = join(dir, 'big.mp4');
    const size = 50 * MB;
    const sha256 = await writeVideoFile(path, size, 7);
    const prng = createPrng(20261202);
    const resets = 6;
    for (let i = 0; i < resets; i += 1) sim.inject({ endpoint: 'upload', nth: i + 1, times: 1, fault: { type: 'resetAfterBytes', bytes: Math.floor(prng.next() * (size / resets)) } });
    const handle = await engine.publish({ kind: 'reel', videoFile: path, caption: 'big' });
    await clock.run(handle.result);
    const container = sim.record.containers[0]!;
    const upload = sim.record.uploadOf(container.id)!;
    expect(upload).toMatchObject({ received: size, sha256, attempts: resets + 1 });
    // each attempt starts where Instagram stopped (the oracle checks every offset against what it had)
    expect(upload.offsets[0]).toBe(0);
    expect(new Set(upload.offsets).size).toBe(upload.offsets.length);
    expect(upload.bytesSent / size).toBeLessThan(1.3);
    expect(sim.record.containers).toHaveLength(1);
    expect(sim.record.publishes).toHaveLength(1);
    // 50 MB really cross loopback seven times over and are hashed twice: seconds when the machine is quiet, far more when it is loaded
  }, 120_000);

  it('continues an upload another engine left midway, from the bytes Instagram has', async () => {
    const store = memoryStore();
    const first = await setup(store);
    const path = join(dir, 'clip.mp4');
    const size = 8 * MB;
    const sha256 = await writeVideoFile(path, size, 3);
    // the first engine's upload is cut after 3 MB; it is stopped while it waits to retry
    first.sim.inject({ endpoint: 'upload', nth: 1, times: 1, fault: { type: 'resetAfterBytes', bytes: 3 * MB } });
    const handle = await first.engine.publish({ kind: 'reel', videoFile: path, id: 'clip' });
    await first.clock.run(
      new Promise<void>((resolve) => {
        const sub = handle.events$.subscribe((e) => {
          if (e.type === 'waiting' && e.reason === 'backoff') {
            sub.unsubscribe();
            resolve();
          }
        });
      }),
    );
    await first.engine.shutdown();
    const second = virtualEngine({ store, clock: first.clock, graph: { accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: first.sim.url, login: 'facebook' } });
    engines.push(second);
    const [resumed] = await second.resumeAll();
    await first.clock.run(resumed!.result);
    const upload = first.sim.record.uploadOf(first.sim.record.containers[0]!.id)!;
    expect(upload.offsets).toEqual([0, 3 * MB]);
    expect(upload).toMatchObject({ received: size, bytesSent: size, sha256 });
    expect(first.sim.record.containers).toHaveLength(1);
    expect(first.sim.record.publishes).toHaveLength(1);
  });

  it('fails a post whose file changed before its upload, uploading nothing of it', async () => {
    const { clock, engine, sim } = await setup();
    const path = join(dir, 'clip.mp4');
    await writeVideoFile(path, 2 * MB, 1);
    sim.inject({ endpoint: 'upload', nth: 1, times: 1, fault: { type: 'resetAfterBytes', bytes: MB } });
    const handle = await engine.publish({ kind: 'reel', videoFile: path });
    // the first attempt is cut; the file changes before the next one
    await clock.run(
      new Promise<void>((resolve) => {
        const sub = handle.events$.subscribe((e) => {
          if (e.type === 'waiting' && e.reason === 'backoff') {
            sub.unsubscribe();
            resolve();
          }
        });
      }),
    );
    await writeVideoFile(path, 2 * MB, 2);
    const error = await clock.run(handle.result).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PostFailed);
    expect((error as PostFailed).message).toMatch(/has changed since the post was accepted/);
    expect((error as PostFailed).remedy).toMatch(/new post/);
    expect(sim.record.uploadOf(sim.record.containers[0]!.id)).toMatchObject({ attempts: 1, received: MB });
    expect(sim.record.publishes).toHaveLength(0);
  });

  it('refuses a videoFile under Instagram Login, and a missing file, before any request', async () => {
    const { engine, sim } = await setup(memoryStore(), 'instagram');
    await expect(engine.publish({ kind: 'reel', videoFile: join(dir, 'a.mp4') })).rejects.toBeInstanceOf(InvalidPostSpec);
    const fb = virtualEngine({ store: memoryStore(), clock: new VirtualClock(), graph: { accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url, login: 'facebook' } });
    engines.push(fb);
    const missing = await fb.publish({ kind: 'reel', videoFile: join(dir, 'missing.mp4') }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(InvalidPostSpec);
    expect((missing as InvalidPostSpec).issues).toEqual([{ path: 'videoFile', message: `${join(dir, 'missing.mp4')} does not exist` }]);
    expect(sim.record.requests).toHaveLength(0);
  });
});
