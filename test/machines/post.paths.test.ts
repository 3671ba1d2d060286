import { afterAll, describe, expect, it } from 'vitest';
import { postMachine } from '../../src/machines/post-machine.js';
import { containerMachine } from '../../src/machines/container-machine.js';
import { Coverage } from './model/coverage.js';
import { postVariants } from './model/directive.js';
import { ACCOUNT, PathWorld, UNIT_MS } from './model/harness.js';
import { generatePaths } from './model/paths.js';

const coverage = new Coverage([postMachine, containerMachine]);
const limits = { publishRetries: 1, verifyRetries: 1, reprepares: 1 };
const capped = (n: unknown) => Math.min(Number(n), 2);
const counters = (c: Record<string, unknown>) => [capped(c.publishFailures), capped(c.verifyFailures), capped(c.reprepares), c.serverSaidFull];
const start = Date.UTC(2026, 0, 1);
let ran = 0;


const specs: Record<string, unknown> = {
  'an image': { kind: 'image', imageUrl: 'https://cdn.example/a.jpg', caption: 'path image' },
  'an image scheduled 3 hours ahead': {
    kind: 'image',
    imageUrl: 'https://cdn.example/a.jpg',
    caption: 'path scheduled',
    publishAt: new Date(start + 3 * 3_600_000).toISOString(),
  },
  'an invalid spec (no imageUrl)': { kind: 'image', caption: 'path invalid' },
  'a carousel of two': {
    kind: 'carousel',
    caption: 'path carousel',
    items: [{ imageUrl: 'https://cdn.example/1.jpg' }, { videoUrl: 'https://cdn.example/2.mp4' }],
  },
};

describe('post machine: generated paths against the simulator', () => {
  for (const [name, spec] of Object.entries(specs)) {
    const input = { postId: 'p1', account: ACCOUNT, unitMs: UNIT_MS, spec, limits };
    const set = generatePaths(postMachine, { input, variants: postVariants, counters });
    describe(`${name}: ${set.paths.length} paths (candidates: ${set.shortest} shortest, ${set.edges} transition-cover, ${set.simple} simple)`, () => {
      for (const path of set.paths) {
        it(path.name, async () => {
          const world = await PathWorld.start({ logic: 'post', input: () => Promise.resolve(input) }, path.directives);
          try {
            const result = await world.run(coverage);
            expect(result.problems).toEqual([]);
            expect(result.leftover).toEqual([]);
            expect(result.states).toEqual(path.states);
            expect(result.sim.record.violations).toEqual([]);
            ran += 1;
          } finally {
            await world.close();
          }
        });
      }
    });
  }

  afterAll(() => {
    const report = coverage.of('post');
    console.log(`post machine: ${ran} paths ran; states ${report.states.seen}/${report.states.total}, transitions ${report.transitions.seen}/${report.transitions.total}`);
    expect(report.states.missing).toEqual([]);
    expect(report.transitions.missing).toEqual([]);
  });
});
