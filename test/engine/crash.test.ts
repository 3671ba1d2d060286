import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileStore } from '../../src/adapters/file-store.js';
import { expectedPost, judge } from '../../src/sim/oracle.js';
import { DEFAULT_ACCOUNT, startSimulator, type ScenarioInput, type Simulator } from '../../src/sim/simulator.js';
import { watchDurability } from '../support/durable-intent.js';

/**
 * The crash test (issue 6): for every request boundary of a clean run, kill
 * the CLI with SIGKILL exactly there (on the request's arrival, before its
 * effect; or after its effect, before the answer), then `igflow resume`
 * with the same store. Every time: exactly one Instagram post per spec,
 * none lost, the post published.
 */
const CLI = resolve('dist/cli/main.js');
const scenario: ScenarioInput = { processing: { imageMs: [30, 30], videoMs: [80, 80], parentMs: [30, 30] } };
const env = { ...process.env, IG_ACCESS_TOKEN: DEFAULT_ACCOUNT.token, IG_USER_ID: DEFAULT_ACCOUNT.igUserId };

const specs: Record<string, { spec: object; posts: number }> = {
  image: { spec: { kind: 'image', id: 'crash-image', imageUrl: 'https://cdn.example/a.jpg', caption: 'crash' }, posts: 1 },
  reel: { spec: { kind: 'reel', id: 'crash-reel', videoUrl: 'https://cdn.example/r.mp4', caption: 'crash reel' }, posts: 1 },
  'carousel of 3': {
    spec: { kind: 'carousel', id: 'crash-carousel', caption: 'crash', items: [{ imageUrl: 'https://cdn.example/1.jpg' }, { videoUrl: 'https://cdn.example/2.mp4' }, { imageUrl: 'https://cdn.example/3.jpg' }] },
    posts: 1,
  },
  'two stories': { spec: { kind: 'stories', id: 'crash-stories', items: [{ imageUrl: 'https://cdn.example/s1.jpg' }, { videoUrl: 'https://cdn.example/s2.mp4' }] }, posts: 2 },
};

const exited = (child: ChildProcess) => new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
const cli = (args: string[]) => spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });

async function world(spec: object) {
  const sim = await startSimulator({ scenario });
  const dir = await mkdtemp(join(tmpdir(), 'igflow-crash-'));
  const specPath = join(dir, 'spec.json');
  await writeFile(specPath, JSON.stringify(spec));
  const args = (command: string) => [command, ...(command === 'publish' ? [specPath] : []), '--store', join(dir, 'store'), '--graph-url', sim.url, '--poll-interval', '20', '--json'];
  return { sim, dir, args, close: async () => Promise.all([sim.close(), rm(dir, { recursive: true, force: true })]) };
}

/** What every run must end with: the post published, each of its Instagram posts made once, the oracle and the durability check silent. */
async function expectPublishedOnce(sim: Simulator, dir: string, spec: object, posts: number, durability: readonly string[]): Promise<void> {
  expect(sim.record.publishes).toHaveLength(posts);
  expect(new Set(sim.record.publishes.map((p) => p.containerId)).size).toBe(posts);
  expect(sim.record.violations).toEqual([]);
  expect(judge(sim.record, { posts: [expectedPost('crash', spec as never)] })).toEqual([]);
  expect(durability).toEqual([]);
  const stored = await fileStore(join(dir, 'store')).posts.list();
  expect(stored.problems).toEqual([]);
  expect(stored.posts.map((p) => p.status)).toEqual(['published']);
}

async function crashAndResume(spec: object, posts: number, seq: number, phase: 'arrival' | 'applied'): Promise<void> {
  const w = await world(spec);
  try {
    const child = cli(w.args('publish'));
    const done = exited(child);
    const kill = async () => {
      child.kill('SIGKILL');
      await done;
    };
    let armed = true;
    w.sim.hooks.onRequest = async (req) => {
      if (!armed || req.seq !== seq || phase !== 'arrival') return;
      await kill();
      throw new Error('the client died before this request took effect');
    };
    w.sim.hooks.beforeRespond = async (req) => {
      if (armed && req.seq === seq && phase === 'applied') await kill();
    };
    const durability = watchDurability(w.sim, fileStore(join(w.dir, 'store')));
    await done;
    armed = false;
    const resume = cli(w.args('resume'));
    let output = '';
    resume.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    resume.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    expect(await exited(resume), output).toBe(0);
    await expectPublishedOnce(w.sim, w.dir, spec, posts, durability.violations);
  } finally {
    await w.close();
  }
}

async function pool<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: width }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

describe('SIGKILL at every request boundary, then igflow resume', () => {
  let tried = 0;
  for (const [name, { spec, posts }] of Object.entries(specs)) {
    it(`${name}: exactly one Instagram post per spec, whatever the crash point`, async () => {
      const clean = await world(spec);
      let boundaries: number;
      try {
        const durability = watchDurability(clean.sim, fileStore(join(clean.dir, 'store')));
        const child = cli(clean.args('publish'));
        expect(await exited(child)).toBe(0);
        await expectPublishedOnce(clean.sim, clean.dir, spec, posts, durability.violations);
        boundaries = clean.sim.record.requests.length;
      } finally {
        await clean.close();
      }
      const points = Array.from({ length: boundaries }, (_v, i) => i + 1).flatMap((seq) => [
        { seq, phase: 'arrival' as const },
        { seq, phase: 'applied' as const },
      ]);
      await pool(points, 2, ({ seq, phase }) => crashAndResume(spec, posts, seq, phase));
      tried += points.length;
      console.log(`${name}: ${boundaries} request boundaries, ${points.length} crash points tried (total so far ${tried})`);
    }, 300_000);
  }
});
