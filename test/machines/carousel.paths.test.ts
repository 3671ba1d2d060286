import { afterAll, describe, expect, it } from 'vitest';
import { carouselMachine } from '../../src/machines/carousel-machine.js';
import { containerPlan } from '../../src/spec/graph-params.js';
import { validatePostSpec } from '../../src/spec/validate.js';
import { Coverage } from './model/coverage.js';
import { carouselVariants } from './model/directive.js';
import { ACCOUNT, PathWorld, UNIT_MS } from './model/harness.js';
import { generatePaths } from './model/paths.js';

const coverage = new Coverage([carouselMachine]);
const urls = ['https://cdn.example/1.jpg', 'https://cdn.example/2.mp4'];
const spec = validatePostSpec({ kind: 'carousel', caption: 'path carousel', items: [{ imageUrl: urls[0] }, { videoUrl: urls[1] }] });
if (!spec.ok) throw new Error('bad carousel spec');
const plan = containerPlan(spec.spec);
if (plan.kind !== 'carousel') throw new Error('not a carousel plan');
const input = { postId: 'p1', account: ACCOUNT, unitMs: UNIT_MS, items: plan.children, parent: plan.parent };
let ran = 0;

/**
 * An item ends once per round (a round ends when a parent expires), and items
 * re-read after a parent expired cannot be made to fail one at a time.
 */
const realistic = (labels: readonly string[]) => {
  const rounds = labels.join('|').split('parent expired');
  const oncePerRound = rounds.every((round) => [0, 1].every((i) => round.split('|').filter((l) => l.startsWith(`item-${i} `)).length <= 1));
  const rereadFails = rounds.slice(1).some((round) => /item-\d failed/.test(round));
  return oncePerRound && !rereadFails;
};

describe('carousel machine: generated paths against the simulator', () => {
  const set = generatePaths(carouselMachine, {
    input,
    variants: carouselVariants,
    counters: (c) => [c.parentRounds, JSON.stringify(c.done)],
    realistic,
  });
  describe(`a carousel of an image and a video: ${set.paths.length} paths (candidates: ${set.shortest} shortest, ${set.edges} transition-cover, ${set.simple} simple)`, () => {
    for (const path of set.paths) {
      it(path.name, async () => {
        const world = await PathWorld.start({ logic: 'carousel', input: () => Promise.resolve(input), itemUrls: urls }, path.directives);
        try {
          const result = await world.run(coverage);
          expect(result.problems).toEqual([]);
          expect(result.states).toEqual(path.states);
          expect(result.sim.record.violations).toEqual([]);
          const failed = (result.output as { outcome?: string } | undefined)?.outcome === 'failed';
          if (!failed) expect(result.leftover).toEqual([]);
          ran += 1;
        } finally {
          await world.close();
        }
      });
    }
  });

  afterAll(() => {
    const report = coverage.of('carousel');
    console.log(`carousel machine: ${ran} paths ran; states ${report.states.seen}/${report.states.total}, transitions ${report.transitions.seen}/${report.transitions.total}`);
    expect(report.states.missing).toEqual([]);
    expect(report.transitions.missing).toEqual([]);
  });
});
