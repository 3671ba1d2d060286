import { storiesMachine } from '../../src/machines/stories-machine.js';
import { storiesInputOf } from '../support/plan.js';
import { storiesVariants } from './model/directive.js';
import { ACCOUNT } from './model/harness.js';
import { describePaths } from './model/path-suite.js';

const specs: Record<string, unknown> = {
  'two image stories': { kind: 'stories', items: [{ imageUrl: 'https://cdn.example/s1.jpg' }, { imageUrl: 'https://cdn.example/s2.jpg' }] },
  'an image story and a video story': { kind: 'stories', items: [{ imageUrl: 'https://cdn.example/s1.jpg' }, { videoUrl: 'https://cdn.example/s2.mp4' }] },
};

describePaths({
  machine: storiesMachine,
  variants: storiesVariants,
  counters: (c) => [c.index],
  // a restore happens at a story's publish, so a story that is restored must go on to publish
  realistic: (labels) => labels.every((l, i) => l !== 'restored' || labels[i + 1] === 'story published'),
  cases: Object.entries(specs).map(([name, spec]) => {
    const input = storiesInputOf(spec, 'p1', ACCOUNT);
    return { name, input, run: { logic: 'stories', input: () => Promise.resolve(input) } };
  }),
});
