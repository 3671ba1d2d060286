import { afterEach, describe, expect, it } from 'vitest';
import { standardTiming } from '../../src/machines/timing.js';
import { postInputOf } from '../support/plan.js';
import { startSimWorld, type SimWorld } from '../support/sim-world.js';

describe('polling on virtual time', () => {
  let world: SimWorld | undefined;
  afterEach(async () => world?.close());

  it('publishes a reel that takes 4 minutes to process, polling 5 s × N', async () => {
    world = await startSimWorld({ processing: { videoMs: [240_000, 240_000] } }, standardTiming({ unitMs: 5_000 }));
    const started = Date.now();
    const output = await world.run(world.machines.post, postInputOf({ kind: 'reel', videoUrl: 'https://cdn.example/reel.mp4', caption: 'four minutes' }, 'reel-1'));
    const realMs = Date.now() - started;
    expect(output).toMatchObject({ outcome: 'published' });

    // The seed's schedule, written out: wait 5 s × N before poll N (capped at a minute).
    const expectedOffsets: number[] = [];
    for (let n = 1, at = 0; at < 240_000; n++) {
      at += Math.min(n, 12) * 5_000;
      expectedOffsets.push(at);
    }
    const created = world.sim.record.requests.find((r) => r.endpoint === 'create')!;
    const polls = world.sim.record.requests.filter((r) => r.endpoint === 'status');
    expect(polls.map((p) => p.at - created.at)).toEqual(expectedOffsets);
    expect(polls).toHaveLength(10);
    const publish = world.sim.record.requests.find((r) => r.endpoint === 'publish')!;
    expect(publish.at - created.at).toBe(275_000);
    console.log(`a 4-minute reel: ${polls.length} polls, published at +${(publish.at - created.at) / 1000} s of virtual time, in ${realMs} ms of real time`);
  });

  it('gives up on a container that never finishes at its deadline, then makes a new one', async () => {
    world = await startSimWorld({
      processing: { imageMs: [3_000, 3_000] },
      faults: [{ endpoint: 'create', nth: 1, fault: { type: 'processingMs', ms: 1e12 } }],
    }, standardTiming({ unitMs: 5_000 }));
    const output = await world.run(world.machines.post, postInputOf({ kind: 'image', imageUrl: 'https://cdn.example/slow.jpg' }, 'slow-1'));
    expect(output).toMatchObject({ outcome: 'published' });
    const [first, second] = world.sim.record.containers;
    expect(world.sim.record.containers).toHaveLength(2);
    expect(first!.publishedAt).toBeUndefined();
    expect(second!.publishedAt).toBeDefined();
    // the first container was polled until its 10-minute deadline (120 units of 5 s), never past it
    const pollsOfFirst = world.sim.record.requests.filter((r) => r.endpoint === 'status' && r.path.includes(first!.id));
    expect(pollsOfFirst.at(-1)!.at - first!.createdAt).toBeGreaterThanOrEqual(600_000);
    expect(pollsOfFirst.at(-2)!.at - first!.createdAt).toBeLessThan(600_000);
  });
});
