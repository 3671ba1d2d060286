import { afterAll, describe, expect, it } from 'vitest';
import { containerMachine } from '../../src/machines/container-machine.js';
import { Coverage } from './model/coverage.js';
import { containerVariants } from './model/directive.js';
import { ACCOUNT, PathWorld, UNIT_MS, type PathConfig } from './model/harness.js';
import { generatePaths } from './model/paths.js';

const coverage = new Coverage([containerMachine]);
const limits = { recreations: 1, genericErrors: 1, expiries: 1, transientFailures: 1 };
const counters = (c: Record<string, unknown>) => [c.recreations, c.genericErrors, c.expiries, c.transientFailures];
const image = { image_url: 'https://cdn.example/a.jpg', caption: 'path' };
const base = { postId: 'p1', account: ACCOUNT, unitMs: UNIT_MS, media: 'image', limits };
let ran = 0;

interface Config {
  readonly name: string;
  readonly traversalInput: Record<string, unknown>;
  readonly run: PathConfig;
}

const configs: Config[] = [
  {
    name: 'a new single container',
    traversalInput: { ...base, role: 'single', params: image },
    run: { logic: 'container', input: () => Promise.resolve({ ...base, role: 'single', params: image }) },
  },
  {
    name: 'a single container made before a restart',
    traversalInput: { ...base, role: 'single', params: image, existing: { containerId: 'old', createdAt: 0 } },
    run: { logic: 'container', input: async (world) => ({ ...base, role: 'single', params: image, existing: await world.precreate(image) }) },
  },
  {
    name: 'a carousel parent',
    traversalInput: { ...base, role: 'carousel-parent', params: { media_type: 'CAROUSEL', children: 'a,b' } },
    run: {
      logic: 'container',
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
];

describe('container machine: generated paths against the simulator', () => {
  for (const config of configs) {
    const set = generatePaths(containerMachine, { input: config.traversalInput, variants: containerVariants, counters });
    describe(`${config.name}: ${set.paths.length} paths (candidates: ${set.shortest} shortest, ${set.edges} transition-cover, ${set.simple} simple)`, () => {
      for (const path of set.paths) {
        it(path.name, async () => {
          const world = await PathWorld.start(config.run, path.directives);
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
    const report = coverage.of('container');
    console.log(
      `container machine: ${ran} paths ran; states ${report.states.seen}/${report.states.total}, transitions ${report.transitions.seen}/${report.transitions.total}`,
    );
    console.log(report.transitions.missing);
    expect(report.states.missing).toEqual([]);
    expect(report.transitions.missing).toEqual([]);
  });
});
