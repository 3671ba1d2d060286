import { containerMachine } from '../../src/machines/container-machine.js';
import { containerVariants } from './model/directive.js';
import { ACCOUNT } from './model/harness.js';
import { describePaths } from './model/path-suite.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';

const limits = { recreations: 1, genericErrors: 1, expiries: 1, unknownFailures: 1 };
const image = { image_url: 'https://cdn.example/a.jpg', caption: 'path' };
const base = { postId: 'p1', account: ACCOUNT, media: 'image', limits };
const single = { ...base, role: 'single', params: image };

// a resumable reel: its bytes come from a small local file (an MP4 signature, then filler)
const video = Buffer.concat([Buffer.from('0000001866747970', 'hex'), Buffer.alloc(64 * 1024, 7)]);
const videoPath = join(mkdtempSync(join(tmpdir(), 'igflow-paths-')), 'clip.mp4');
writeFileSync(videoPath, video);
const resumable = {
  ...base,
  role: 'single',
  media: 'video',
  params: { media_type: 'REELS', upload_type: 'resumable', caption: 'path' },
  upload: { from: 'file', path: videoPath, size: video.length, sha256: createHash('sha256').update(video).digest('hex') },
};

describePaths({
  machine: containerMachine,
  variants: containerVariants,
  counters: (c) => [c.recreations, c.genericErrors, c.expiries, Math.min(Number(c.failures), 2), c.containerId !== undefined, c.failingSince !== undefined, c.uploaded],
  cases: [
    { name: 'a new single container', input: single, run: { logic: 'container', input: () => Promise.resolve(single), restoreAtWaitIn: ['blocked', 'creating.backingOff', 'errorRetryable', 'polling'] } },
    {
      name: 'a single container made before a restart',
      input: { ...single, existing: { containerId: 'old', createdAt: 0 } },
      run: { logic: 'container', input: async (world) => ({ ...single, existing: await world.precreate(image) }), restoreAtWaitIn: ['blocked', 'creating.backingOff', 'errorRetryable', 'polling'] },
    },
    {
      name: 'a resumable reel uploaded from a file',
      input: resumable,
      run: { logic: 'container', input: () => Promise.resolve(resumable), restoreAtWaitIn: ['blocked', 'creating.backingOff', 'uploading', 'errorRetryable', 'polling'] },
    },
    {
      name: 'a carousel parent',
      input: { ...base, role: 'carousel-parent', params: { media_type: 'CAROUSEL', children: 'a,b' } },
      run: {
        logic: 'container',
        restoreAtWaitIn: ['blocked', 'creating.backingOff', 'errorRetryable', 'polling'],
        input: async (world) => {
          const items = [
            await world.precreate({ image_url: 'https://cdn.example/1.jpg', is_carousel_item: true }, 'setup'),
            await world.precreate({ image_url: 'https://cdn.example/2.jpg', is_carousel_item: true }, 'setup'),
          ];
          items.forEach((item) => world.finish(item.containerId));
          return { ...base, role: 'carousel-parent', params: { media_type: 'CAROUSEL', children: items.map((i) => i.containerId).join(',') } };
        },
      },
    },
  ],
});
