import { afterEach, describe, expect, it } from 'vitest';
import { createGraphClient, type GraphClient } from '../../src/graph/client.js';
import { expectedPost, judge } from '../../src/sim/oracle.js';
import { DEFAULT_ACCOUNT, startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';

/** The simulator's comments endpoints, and what the oracle makes of a client that comments twice. */
describe('simulated comments', () => {
  let sim: Simulator;
  let graph: GraphClient;
  afterEach(async () => {
    await graph.close();
    await sim.close();
  });
  async function published(): Promise<string> {
    const clock = new VirtualClock();
    sim = await startSimulator({ clock, scenario: { processing: { imageMs: [1_000, 1_000], videoMs: [1_000, 1_000], parentMs: [1_000, 1_000] } } });
    graph = createGraphClient({ accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url });
    const id = await graph.createContainer({ image_url: 'https://cdn.example/cm.jpg', caption: 'c' });
    clock.advanceBy(1_000);
    return graph.publish(id);
  }
  const spec = { kind: 'image', imageUrl: 'https://cdn.example/cm.jpg', firstComment: 'hi' };

  it('comments as the token\'s account and lists every comment across pages, oldest first', async () => {
    const media = await published();
    for (let i = 0; i < 60; i++) sim.addComment(media, { username: `fan${i}`, text: `nice ${i}` });
    const id = await graph.comment!(media, 'hi');
    const listed = await graph.comments!(media);
    expect(listed).toHaveLength(61);
    expect(listed.at(-1)).toMatchObject({ id, text: 'hi', username: await graph.mediaOwner!(media) });
    expect(sim.record.requestsTo('comments').length).toBeGreaterThan(1);
    expect(sim.record.requestsTo('comment')[0]?.params).toEqual({ message: 'hi' });
    expect(judge(sim.record, { posts: [expectedPost('cm', spec, true)] })).toEqual([]);
  });

  it('refuses a comment on a media that does not exist, and one without a message', async () => {
    await published();
    await expect(graph.comment!('17920238429999999', 'hi')).rejects.toMatchObject({ code: 100, subcode: 33 });
    expect(sim.record.comments).toHaveLength(0);
  });

  it('the oracle: a second comment without a read first, the comment twice, a comment the client claims but is not there', async () => {
    const media = await published();
    await graph.comment!(media, 'hi');
    await graph.comment!(media, 'hi');
    const rules = judge(sim.record, { posts: [expectedPost('cm', spec, true)] }).map((v) => v.rule);
    expect(rules).toEqual(['comment-without-read', 'comment-posted-twice', 'comment-missing']);
  });

  it('the oracle: a read between two attempts is fine, and a follower\'s same words are not the client\'s', async () => {
    const media = await published();
    sim.addComment(media, { username: 'fan', text: 'hi' });
    sim.inject({ endpoint: 'comment', fault: { type: 'http500' } });
    await graph.comment!(media, 'hi').catch(() => undefined);
    await graph.comments!(media);
    await graph.comment!(media, 'hi');
    expect(judge(sim.record, { posts: [expectedPost('cm', spec, true)] })).toEqual([]);
  });
});
