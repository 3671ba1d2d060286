import { carouselMachine } from '../../src/machines/carousel-machine.js';
import { containerPlan } from '../../src/spec/graph-params.js';
import { validatePostSpec } from '../../src/spec/validate.js';
import { carouselVariants } from './model/directive.js';
import { ACCOUNT } from './model/harness.js';
import { describePaths } from './model/path-suite.js';

const urls = ['https://cdn.example/1.jpg', 'https://cdn.example/2.mp4'];
const spec = validatePostSpec({ kind: 'carousel', caption: 'path carousel', items: [{ imageUrl: urls[0] }, { videoUrl: urls[1] }] });
if (!spec.ok) throw new Error('bad carousel spec');
const plan = containerPlan(spec.spec);
if (plan.kind !== 'carousel') throw new Error('not a carousel plan');
const input = { postId: 'p1', account: ACCOUNT, items: plan.children, parent: plan.parent };

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

describePaths({
  machine: carouselMachine,
  variants: carouselVariants,
  counters: (c) => [c.parentRounds, JSON.stringify(c.done)],
  realistic,
  cases: [{ name: 'a carousel of an image and a video', input, run: { logic: 'carousel', input: () => Promise.resolve(input), itemUrls: urls, restoreAtWaitIn: ['items', 'parent'] } }],
  // when an item fails, its sibling's directives may never be needed
  leftoverAllowed: (output) => (output as { outcome?: string } | undefined)?.outcome === 'failed',
});
