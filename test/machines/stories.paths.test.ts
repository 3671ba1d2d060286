import { afterAll, describe, expect, it } from 'vitest';
import { storiesMachine } from '../../src/machines/stories-machine.js';
import { Coverage } from './model/coverage.js';
import { storiesVariants } from './model/directive.js';
import { ACCOUNT, PathWorld, UNIT_MS } from './model/harness.js';
import { generatePaths } from './model/paths.js';

const coverage = new Coverage([storiesMachine]);
let ran = 0;

/** A restore happens at a story's publish, so a story that is restored must go on to publish. */
const realistic = (labels: readonly string[]) => labels.every((l, i) => l !== 'restored' || labels[i + 1] === 'story published');

const specs: Record<string, unknown> = {
  'two image stories': { kind: 'stories', items: [{ imageUrl: 'https://cdn.example/s1.jpg' }, { imageUrl: 'https://cdn.example/s2.jpg' }] },
  'an image story and a video story': { kind: 'stories', items: [{ imageUrl: 'https://cdn.example/s1.jpg' }, { videoUrl: 'https://cdn.example/s2.mp4' }] },
  'an invalid sequence (no items)': { kind: 'stories', items: [] },
};

describe('stories machine: generated paths against the simulator', () => {
  for (const [name, spec] of Object.entries(specs)) {
    const input = { postId: 'p1', account: ACCOUNT, unitMs: UNIT_MS, spec };
    const set = generatePaths(storiesMachine, { input, variants: storiesVariants, counters: (c) => [c.index], realistic });
    describe(`${name}: ${set.paths.length} paths (candidates: ${set.shortest} shortest, ${set.edges} transition-cover, ${set.simple} simple)`, () => {
      for (const path of set.paths) {
        it(path.name || '(no events)', async () => {
          const world = await PathWorld.start({ logic: 'stories', input: () => Promise.resolve(input) }, path.directives);
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
    const report = coverage.of('stories');
    console.log(`stories machine: ${ran} paths ran; states ${report.states.seen}/${report.states.total}, transitions ${report.transitions.seen}/${report.transitions.total}`);
    expect(report.states.missing).toEqual([]);
    expect(report.transitions.missing).toEqual([]);
  });
});
