import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileStore } from '../../src/adapters/file-store.js';
import { encodeFrame } from '../../src/adapters/fs/journal-frame.js';
import { recordsPayload } from '../../src/adapters/fs/journal-records.js';
import { expectedPost, judge } from '../../src/sim/oracle.js';
import { DEFAULT_ACCOUNT, startSimulator, type ScenarioInput, type Simulator } from '../../src/sim/simulator.js';
import { watchDurability } from '../support/durable-intent.js';
import { writeVideoFile } from '../support/video-file.js';

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
  'image with a first comment': { spec: { kind: 'image', id: 'crash-comment', imageUrl: 'https://cdn.example/c.jpg', caption: 'crash comment', firstComment: 'once, whatever the crash' }, posts: 1 },
  'two stories': { spec: { kind: 'stories', id: 'crash-stories', items: [{ imageUrl: 'https://cdn.example/s1.jpg' }, { videoUrl: 'https://cdn.example/s2.mp4' }] }, posts: 2 },
};

const exited = (child: ChildProcess) => new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
const cli = (args: string[]) => spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
const output = (child: ChildProcess) => {
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return () => text;
};

async function world(spec: object) {
  const sim = await startSimulator({ scenario });
  const dir = await mkdtemp(join(tmpdir(), 'igflow-crash-'));
  const specPath = join(dir, 'spec.json');
  await writeFile(specPath, JSON.stringify(spec));
  const args = (command: string) => [command, ...(command === 'publish' ? [specPath] : []), '--store', join(dir, 'store'), '--graph-url', sim.url, '--poll-interval', '20', '--json', '--no-media-checks'];
  return { sim, dir, args, close: async () => Promise.all([sim.close(), rm(dir, { recursive: true, force: true })]) };
}

/** What every run must end with: the post published, each of its Instagram posts made once, the oracle and the durability check silent. */
async function expectPublishedOnce(sim: Simulator, dir: string, spec: object, posts: number, durability: readonly string[]): Promise<void> {
  expect(sim.record.publishes).toHaveLength(posts);
  expect(new Set(sim.record.publishes.map((p) => p.containerId)).size).toBe(posts);
  expect(sim.record.violations).toEqual([]);
  const firstComment = (spec as { firstComment?: string }).firstComment;
  expect(judge(sim.record, { posts: [expectedPost('crash', spec as never, firstComment === undefined ? undefined : true)] })).toEqual([]);
  // a crash after the comment was made (its answer never read) is resumed by reading the media's comments: one comment
  if (firstComment !== undefined) expect(sim.record.comments.map((c) => c.text)).toEqual([firstComment]);
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

describe('SIGKILL in the middle of an upload, then igflow resume', () => {
  const MB = 1024 * 1024;
  const SIZE = 16 * MB;
  for (const share of [0.1, 0.5, 0.9]) {
    it(`killed with ${share * 100} % of a ${SIZE / MB} MB reel sent: the resume sends only the rest, one container, one post`, async () => {
      const w = await world({});
      try {
        const video = join(w.dir, 'reel.mp4');
        const sha256 = await writeVideoFile(video, SIZE, 5);
        const spec = { kind: 'reel', id: 'crash-upload', videoFile: video, caption: 'crash upload' };
        await writeFile(join(w.dir, 'spec.json'), JSON.stringify(spec));
        const child = cli([...w.args('publish'), '--login', 'facebook']);
        const done = exited(child);
        let killedAt: number | undefined;
        w.sim.hooks.onUploadBytes = async (_containerId, received) => {
          if (killedAt !== undefined || received < SIZE * share) return;
          killedAt = received;
          child.kill('SIGKILL');
          await done;
        };
        const durability = watchDurability(w.sim, fileStore(join(w.dir, 'store')));
        await done;
        w.sim.hooks.onUploadBytes = undefined;
        expect(killedAt).toBeDefined();
        const resume = cli([...w.args('resume'), '--login', 'facebook']);
        const said = output(resume);
        expect(await exited(resume), said()).toBe(0);
        expect(w.sim.record.containers).toHaveLength(1);
        const upload = w.sim.record.uploadOf(w.sim.record.containers[0]!.id)!;
        // the resume starts from what Instagram had, never from 0 (bytes already on the wire when the process died may
        // still have arrived: near the end, that can be all of them, and then the resume sends nothing more)
        const [first, ...later] = upload.offsets;
        expect(first).toBe(0);
        expect(later.length).toBeLessThanOrEqual(1);
        if (share < 0.5) expect(later).toHaveLength(1);
        for (const offset of later) expect(offset).toBeGreaterThanOrEqual(killedAt!);
        expect(upload).toMatchObject({ received: SIZE, sha256 });
        expect(upload.bytesSent).toBeLessThan(SIZE * 1.3);
        await expectPublishedOnce(w.sim, w.dir, spec, 1, durability.violations);
      } finally {
        await w.close();
      }
    }, 120_000);
  }

  it('refuses to resume an upload whose file changed after the crash: exit 1, the file named, nothing more sent', async () => {
    const w = await world({});
    try {
      const video = join(w.dir, 'reel.mp4');
      await writeVideoFile(video, SIZE, 5);
      await writeFile(join(w.dir, 'spec.json'), JSON.stringify({ kind: 'reel', id: 'crash-upload', videoFile: video }));
      const child = cli([...w.args('publish'), '--login', 'facebook']);
      const done = exited(child);
      let killed = false;
      w.sim.hooks.onUploadBytes = async (_containerId, received) => {
        if (killed || received < SIZE / 2) return;
        killed = true;
        child.kill('SIGKILL');
        await done;
      };
      await done;
      w.sim.hooks.onUploadBytes = undefined;
      await writeVideoFile(video, SIZE, 6);
      const resume = cli([...w.args('resume'), '--login', 'facebook']);
      const said = output(resume);
      expect(await exited(resume)).toBe(1);
      expect(said()).toMatch(/reel\.mp4 has changed since the post was accepted/);
      expect(said()).not.toContain(DEFAULT_ACCOUNT.token);
      expect(w.sim.record.uploadOf(w.sim.record.containers[0]!.id)?.attempts).toBe(1);
      expect(w.sim.record.publishes).toHaveLength(0);
    } finally {
      await w.close();
    }
  }, 120_000);
});

/**
 * The file store's journal under SIGKILL (issue 14): a child process keeps
 * 50 posts' saves in flight at once, group-committed in frames of a few
 * hundred KB, and is killed at a random instant, usually in the middle of
 * a batch (a frame being written, or waiting for its fsync), and the half
 * frame a power loss could leave is added to its journal. Every time:
 * every save the child was told is on disk reads back (at its version or a
 * later one), every post reads as one coherent write (its state, snapshot
 * and version all of the same save: never a torn or mixed record), and the
 * next process takes the posts over and writes them out.
 */
describe('SIGKILL in the middle of a journal batch', () => {
  const CHILD = resolve('test/adapters/fixtures/journal-child.ts');
  const POSTS = 50;

  /**
   * Appends to the killed child's newest journal file the first half of a
   * frame it never finished (as a power loss in the middle of its write
   * would leave it), holding a far newer version of every post: it must
   * be dropped, never read.
   */
  async function tearAFrame(dir: string, pid: number | undefined): Promise<void> {
    const mine = (await readdir(join(dir, 'journal'))).filter((name) => name.startsWith(`${pid}-`)).sort();
    const newest = mine.at(-1);
    if (newest === undefined) return;
    const torn = Array.from({ length: POSTS }, (_, i) => ({ postId: `j${i}`, json: JSON.stringify({ v: 2, postId: `j${i}`, state: 'torn', version: 10 ** 6 }) }));
    const frame = encodeFrame(recordsPayload(torn));
    await appendFile(join(dir, 'journal', newest), frame.subarray(0, frame.length >> 1));
  }

  async function killMidBatch(dir: string, delayMs: number): Promise<Map<string, number>> {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(POSTS), '6', '500'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked = new Map<string, number>();
    let pending = '';
    let errors = '';
    let savesSinceReady: number | undefined;
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    // running: ready, and a round of saves acknowledged, so the kill lands among saves in flight
    const running = new Promise<void>((done, fail) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        const lines = (pending + chunk.toString()).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          if (line === 'ready') savesSinceReady = 0;
          const [postId, version] = line.split(' ');
          if (postId === undefined || version === undefined) continue;
          acked.set(postId, Math.max(acked.get(postId) ?? 0, Number(version)));
          if (savesSinceReady !== undefined && ++savesSinceReady === POSTS) done();
        }
      });
      child.once('exit', (code) => fail(new Error(`the child exited (${code}) before it was running: ${errors}`)));
    });
    await running;
    await new Promise((done) => setTimeout(done, delayMs));
    const gone = exited(child);
    child.kill('SIGKILL');
    await gone;
    await tearAFrame(dir, child.pid);
    return acked;
  }

  it('every acknowledged save reads back, no post is misread, and the next process takes over', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'igflow-journal-kill-'));
    try {
      for (const delayMs of [0, 37, 120, 260]) {
        const acked = await killMidBatch(dir, delayMs);
        const store = fileStore(dir, { staleLockMs: 500 });
        const { posts, problems } = await store.posts.list();
        expect(problems).toEqual([]);
        expect(posts).toHaveLength(POSTS);
        for (const post of posts) {
          expect(post.version).toBeGreaterThanOrEqual(acked.get(post.postId) ?? 1);
          expect(post.state).toBe(`v${post.version}`);
          expect((post.snapshot as { version: number }).version).toBe(post.version);
        }
        const claims = await store.queue.claim({ owner: 'survivor', now: Date.now(), until: Date.now() + 60_000, limit: POSTS, takeOver: () => true });
        expect(claims).toHaveLength(POSTS);
        for (const claim of claims) await store.queue.release(claim);
        await store.close();
        const journal = await readdir(join(dir, 'journal'));
        expect(journal.filter((name) => name.endsWith('.log')).length).toBeLessThanOrEqual(1); // the dead child's, swept by the next writer at the latest
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
