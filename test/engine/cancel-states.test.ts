import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/memory-store.js';
import type { Store } from '../../src/adapters/store.js';
import type { EngineEvent } from '../../src/engine/engine-events.js';
import type { Engine } from '../../src/engine/engine.js';
import { PostCancelled } from '../../src/engine/post-errors.js';
import type { CancelResult } from '../../src/manage/cancel.js';
import { expectedPost, judge } from '../../src/sim/oracle.js';
import { DEFAULT_ACCOUNT, startSimulator, type SimRequestInfo } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { virtualEngine } from '../support/virtual-engine.js';

/**
 * A cancel at every point of a post's life, from another engine sharing
 * the store while the first one holds the post (issue 17). A clean run of
 * each spec gives its requests; then one run per request and per side of
 * its effect (on its arrival, and after its effect, before the answer),
 * where a second engine cancels the post at that moment. Before the first
 * `media_publish` arrives the cancel must win: no publish at all, the
 * holder ends the post `cancelled` (event and PostCancelled); from then on
 * it is too late (`publishing`) and the post is live exactly once. Judged
 * by the simulator's record and the oracle, not by the engines' word.
 */
const START = Date.UTC(2026, 0, 1);
const TOKEN = DEFAULT_ACCOUNT.token;

const specs: Record<string, { spec: Record<string, unknown>; posts: number }> = {
  image: { spec: { kind: 'image', id: 'cx-image', imageUrl: 'https://cdn.example/a.jpg', caption: 'cancel me' }, posts: 1 },
  'carousel of 3': {
    spec: { kind: 'carousel', id: 'cx-carousel', caption: 'cancel carousel', items: [{ imageUrl: 'https://cdn.example/1.jpg' }, { videoUrl: 'https://cdn.example/2.mp4' }, { imageUrl: 'https://cdn.example/3.jpg' }] },
    posts: 1,
  },
  'two stories': { spec: { kind: 'stories', id: 'cx-stories', items: [{ imageUrl: 'https://cdn.example/s1.jpg' }, { videoUrl: 'https://cdn.example/s2.mp4' }] }, posts: 2 },
  'an image scheduled 2 hours ahead': {
    spec: { kind: 'image', id: 'cx-later', imageUrl: 'https://cdn.example/later.jpg', caption: 'later', publishAt: new Date(START + 2 * 3_600_000).toISOString() },
    posts: 1,
  },
};

/** Where the second engine cancels: on a request's arrival, or after its effect. */
interface CancelPoint {
  readonly seq: number;
  readonly when: 'arrival' | 'applied';
}

interface RunResult {
  readonly requests: ReadonlyArray<{ seq: number; endpoint: string }>;
  readonly answer: CancelResult | undefined;
  /** The seq of the first publish request, when one arrived. */
  readonly firstPublishSeq: number | undefined;
  readonly publishes: number;
  /** `published`, `cancelled`, or `rejected: …`. */
  readonly outcome: string;
  readonly lastEvent: EngineEvent | undefined;
  readonly stored: string;
  readonly oracle: readonly string[];
}

async function run(spec: Record<string, unknown>, posts: number, point?: CancelPoint): Promise<RunResult> {
  const clock = new VirtualClock(START);
  const sim = await startSimulator({ clock, scenario: { processing: { imageMs: [2_000, 2_000], videoMs: [20_000, 20_000], parentMs: [2_000, 2_000] } } });
  const store: Store = memoryStore();
  const graph = { accessToken: TOKEN, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url };
  const holder: Engine = virtualEngine({ store, clock, graph, owner: 'holder', secrets: [TOKEN] });
  const canceller: Engine = virtualEngine({ store, clock, graph, owner: 'canceller', secrets: [TOKEN] });
  const events: EngineEvent[] = [];
  holder.events$.subscribe((event) => events.push(event));
  let answer: CancelResult | undefined;
  let firstPublishSeq: number | undefined;
  const strike = async (req: SimRequestInfo, when: CancelPoint['when']) => {
    if (point === undefined || req.seq !== point.seq || point.when !== when) return;
    answer = await canceller.cancel(String(spec.id));
  };
  sim.hooks.onRequest = async (req) => {
    if (req.endpoint === 'publish') firstPublishSeq ??= req.seq;
    await strike(req, 'arrival');
  };
  sim.hooks.beforeRespond = (req) => strike(req, 'applied');
  try {
    const handle = await holder.publish(spec);
    const settled = await clock.run(
      handle.result.then(
        () => 'published',
        (err: unknown) => (err instanceof PostCancelled ? 'cancelled' : `rejected: ${String(err)}`),
      ),
      { stallMs: 5_000 },
    );
    const post = (await store.posts.list()).posts[0];
    const mine = events.filter((e) => e.postId === handle.postId);
    return {
      requests: sim.record.requests.map((r) => ({ seq: r.seq, endpoint: r.endpoint })),
      answer,
      firstPublishSeq,
      publishes: sim.record.publishes.length,
      outcome: settled,
      lastEvent: mine.at(-1),
      stored: `${post?.status} ${post?.state}`,
      oracle: judge(sim.record, { posts: [expectedPost(String(spec.id), spec as never)] }).map((v) => `${v.rule}: ${v.detail}`),
    };
  } finally {
    await clock.run(Promise.all([holder.shutdown(), canceller.shutdown()]));
    await sim.close();
  }
}

describe('a cancel from another engine at every point of a post, judged by what Instagram saw', () => {
  for (const [name, { spec, posts }] of Object.entries(specs)) {
    it(`${name}: before the first media_publish the cancel wins (nothing published); from it on it is too late (live once)`, async () => {
      const clean = await run(spec, posts);
      expect(clean.publishes).toBe(posts);
      expect(clean.oracle).toEqual([]);
      const failures: string[] = [];
      let won = 0;
      let late = 0;
      for (const { seq, endpoint } of clean.requests) {
        for (const when of ['arrival', 'applied'] as const) {
          const result = await run(spec, posts, { seq, when });
          const label = `cancel on ${when === 'arrival' ? 'arrival' : 'the effect'} of request ${seq} (${endpoint})`;
          const problems: string[] = [...result.oracle];
          if (result.answer === undefined) problems.push('the cancel never ran');
          // the first publish's arrival is past the pre-publish checkpoint: too late from then on
          const tooLate = result.firstPublishSeq !== undefined && result.firstPublishSeq <= seq;
          if (tooLate) {
            late += 1;
            if (result.answer?.cancelled !== false || result.answer.reason !== 'publishing') problems.push(`answer ${JSON.stringify(result.answer)}, expected too late (publishing)`);
            if (result.publishes !== posts) problems.push(`${result.publishes} publishes, expected ${posts}`);
            if (result.outcome !== 'published' || result.stored !== 'published published') problems.push(`ended ${result.outcome}, stored ${result.stored}`);
          } else {
            won += 1;
            if (result.answer?.cancelled !== true) problems.push(`answer ${JSON.stringify(result.answer)}, expected cancelled`);
            if (result.publishes !== 0) problems.push(`${result.publishes} publishes after a cancel that won`);
            if (result.outcome !== 'cancelled') problems.push(`the holder's handle: ${result.outcome}`);
            if (result.lastEvent?.type !== 'cancelled') problems.push(`the holder's last event: ${JSON.stringify(result.lastEvent)}`);
            if (result.stored !== 'cancelled cancelled') problems.push(`stored ${result.stored}`);
          }
          if (problems.length > 0) failures.push(`${label}:\n    ${problems.join('\n    ')}`);
        }
      }
      expect(failures).toEqual([]);
      expect(won).toBeGreaterThan(0);
      expect(late).toBeGreaterThan(0);
      console.log(`${name}: ${clean.requests.length} requests, ${won} cancels won, ${late} too late`);
    }, 180_000);
  }
});
