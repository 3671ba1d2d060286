import { containerMachine } from '../../src/machines/container-machine.js';
import { postMachine } from '../../src/machines/post-machine.js';
import { postInputOf } from '../support/plan.js';
import { postVariants } from './model/directive.js';
import { ACCOUNT } from './model/harness.js';
import { describePaths } from './model/path-suite.js';

const capped = (n: unknown) => Math.min(Number(n), 2);
const start = Date.UTC(2026, 0, 1);
const specs: Record<string, unknown> = {
  'an image': { kind: 'image', imageUrl: 'https://cdn.example/a.jpg', caption: 'path image' },
  'an image scheduled 3 hours ahead': {
    kind: 'image',
    imageUrl: 'https://cdn.example/a.jpg',
    caption: 'path scheduled',
    publishAt: new Date(start + 3 * 3_600_000).toISOString(),
  },
  'an image with a first comment': { kind: 'image', imageUrl: 'https://cdn.example/fc.jpg', caption: 'path comment', firstComment: 'first!' },
  'a carousel of two': { kind: 'carousel', caption: 'path carousel', items: [{ imageUrl: 'https://cdn.example/1.jpg' }, { videoUrl: 'https://cdn.example/2.mp4' }] },
};

describePaths({
  machine: postMachine,
  nested: [containerMachine],
  variants: postVariants,
  counters: (c) => [capped(c.publishFailures), capped(c.verifyFailures), capped(c.reprepares), c.serverSaidFull, c.verifyAfterAuth, c.graced],
  cases: Object.entries(specs).map(([name, spec]) => {
    const input = postInputOf(spec, 'p1', ACCOUNT, { limits: { publishRetries: 1, verifyRetries: 1, reprepares: 1 } });
    return { name, input, run: { logic: 'post', input: () => Promise.resolve(input), restoreAtWaitIn: ['preparing', 'waitingQuota', 'waitingAuth', 'scheduled', 'ready', 'retryingPublish', 'verifying'] } };
  }),
});
