import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/memory-store.js';
import type { Engine } from '../../src/engine/engine.js';
import type { EngineEvent } from '../../src/engine/engine-events.js';
import { expectedPost, judge } from '../../src/sim/oracle.js';
import { DEFAULT_ACCOUNT, startSimulator, type ScenarioInput, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { virtualEngine } from '../support/virtual-engine.js';

/**
 * The first comment (issue 17, part 3): posted once on the published
 * media, as its own follow-up step. Judged by the simulator's record: the
 * comments Instagram holds, and the requests that made them.
 */
const COMMENT = 'First! #igflow';
const image = (extra: object = {}) => ({ kind: 'image', id: 'fc-image', imageUrl: 'https://cdn.example/fc.jpg', caption: 'with a comment', firstComment: COMMENT, ...extra });
const carousel = { kind: 'carousel', id: 'fc-carousel', caption: 'carousel', firstComment: COMMENT, items: [{ imageUrl: 'https://cdn.example/c1.jpg' }, { imageUrl: 'https://cdn.example/c2.jpg' }] };

describe('first comment', () => {
  let sim: Simulator | undefined;
  const engines: Engine[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.shutdown()));
    await sim?.close();
    sim = undefined;
  });

  async function setup(scenario: ScenarioInput = {}) {
    const clock = new VirtualClock();
    sim = await startSimulator({ clock, scenario: { processing: { imageMs: [2_000, 2_000], videoMs: [20_000, 20_000], parentMs: [2_000, 2_000] }, ...scenario } });
    const engine = virtualEngine({ store: memoryStore(), clock, graph: { accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url }, pollIntervalMs: 100 });
    engines.push(engine);
    return { clock, engine, sim };
  }
  async function publish(spec: Record<string, unknown>, scenario: ScenarioInput = {}) {
    const { clock, engine, sim } = await setup(scenario);
    const handle = await engine.publish(spec);
    const events = lastValueFrom(handle.events$.pipe(toArray()));
    const result = await clock.run(handle.result);
    return { result, events: await events, sim, engine, clock };
  }
  const ofType = <T extends EngineEvent['type']>(events: readonly EngineEvent[], type: T) => events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);

  it('posts the comment once on the published image, and the published line stays last', async () => {
    const { result, events, sim } = await publish(image());
    const media = sim.record.publishes[0]!.mediaId;
    expect(sim.record.commentsOn(media).map((c) => c.text)).toEqual([COMMENT]);
    expect(result.commentId).toBe(sim.record.comments[0]!.id);
    expect(ofType(events, 'comment')).toEqual([expect.objectContaining({ mediaId: media, commentId: result.commentId, found: false })]);
    expect(events.at(-1)).toMatchObject({ type: 'published', mediaId: media, commentId: result.commentId });
    // the comment is its own step, after the publish: nothing about the post waited on it
    const publishSeq = sim.record.publishes[0]!.requestSeq;
    expect(sim.record.requestsTo('comment').every((r) => r.seq > publishSeq)).toBe(true);
    expect(sim.record.requestsTo('comment')[0]?.params).toEqual({ message: COMMENT });
    expect(judge(sim.record, { posts: [expectedPost('image', image(), true)] })).toEqual([]);
  });

  it('comments a carousel on its album, and never comments a post without firstComment', async () => {
    const { result, sim } = await publish(carousel);
    expect(sim.record.comments.map((c) => [c.mediaId, c.text])).toEqual([[result.mediaId, COMMENT]]);
    const plain = await publish(image({ id: 'plain', firstComment: undefined }));
    expect(plain.sim.record.count('comment') + plain.sim.record.count('comments')).toBe(0);
  });

  it('a 500 on the comment is an event and a retry: the media\'s comments are read first, then one comment', async () => {
    const { result, events, sim } = await publish(image(), { faults: [{ endpoint: 'comment', fault: { type: 'http500' }, times: 1 }] });
    const failed = ofType(events, 'comment-failed');
    expect(failed).toEqual([expect.objectContaining({ retrying: true, mediaId: result.mediaId })]);
    expect(failed[0]!.retryAt).toEqual(expect.any(String));
    expect(sim.record.requests.filter((r) => r.endpoint === 'comment' || r.endpoint === 'comments').map((r) => r.endpoint)).toEqual(['comment', 'comments', 'comment']);
    expect(sim.record.comments).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'published', commentId: result.commentId });
  });

  it('a comment whose answer was lost is found among the media\'s comments, never made twice', async () => {
    const { result, events, sim } = await publish(image(), { faults: [{ endpoint: 'comment', fault: { type: 'lostResponse' }, times: 1 }] });
    expect(sim.record.comments).toHaveLength(1);
    expect(result.commentId).toBe(sim.record.comments[0]!.id);
    expect(ofType(events, 'comment')).toEqual([expect.objectContaining({ found: true, commentId: sim.record.comments[0]!.id })]);
    expect(sim.record.count('comment')).toBe(1);
    expect(judge(sim.record, { posts: [expectedPost('image', image(), true)] })).toEqual([]);
  });

  it('recognises only its own comment: a follower\'s comment with the same text is not igflow\'s', async () => {
    const { clock, engine, sim } = await setup({ faults: [{ endpoint: 'comment', fault: { type: 'http500' }, times: 1 }] });
    // a follower writes the same words between igflow's failed attempt and its read
    sim.hooks.onRequest = (req) => {
      if (req.endpoint === 'comments' && sim.record.comments.length === 0) sim.addComment(sim.record.publishes[0]!.mediaId, { username: 'a_follower', text: COMMENT });
    };
    const handle = await engine.publish(image());
    const result = await clock.run(handle.result);
    const own = sim.record.comments.filter((c) => c.account === DEFAULT_ACCOUNT.igUserId);
    expect(own).toHaveLength(1);
    expect(result.commentId).toBe(own[0]!.id);
  });

  it('a comment refused for good is given up: the post is published all the same, exit-0 style', async () => {
    const { result, events, sim } = await publish(image(), { faults: [{ endpoint: 'comment', fault: { type: 'graphError', code: 10, message: 'Application does not have permission for this action' }, times: Infinity }] });
    expect(result.mediaId).toBe(sim.record.publishes[0]!.mediaId);
    expect(result.commentId).toBeUndefined();
    expect(ofType(events, 'comment-failed')).toEqual([expect.objectContaining({ retrying: false })]);
    expect(sim.record.comments).toHaveLength(0);
    expect(events.at(-1)).toMatchObject({ type: 'published', mediaId: result.mediaId });
  });

  it('gives up after a bounded number of attempts, each retry after reading first, and the post stays published', async () => {
    const { result, events, sim } = await publish(image(), { faults: [{ endpoint: 'comment', fault: { type: 'http500' }, times: Infinity }] });
    expect(result.mediaId).toBeDefined();
    const failed = ofType(events, 'comment-failed');
    expect(failed.at(-1)).toMatchObject({ retrying: false });
    expect(failed.filter((f) => f.retrying).length).toBeGreaterThan(0);
    expect(sim.record.count('comment')).toBeLessThanOrEqual(4);
    expect(judge(sim.record, { posts: [expectedPost('image', image())] })).toEqual([]);
  });
});
