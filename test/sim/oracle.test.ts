import { afterEach, describe, expect, it } from 'vitest';
import { createGraphClient, type GraphClient } from '../../src/graph/client.js';
import { expectedPost, judge, type OracleViolation } from '../../src/sim/oracle.js';
import { DEFAULT_ACCOUNT, startSimulator, type ScenarioInput, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';

/**
 * The oracle catches each mistake a client of the container flow can make,
 * made here on purpose with a bare Graph client, and stays silent on a
 * correct exchange.
 */
describe('the oracle over the simulator record', () => {
  let sim: Simulator;
  let graph: GraphClient;
  let clock: VirtualClock;
  afterEach(async () => {
    await graph.close();
    await sim.close();
  });
  async function world(scenario: ScenarioInput = {}) {
    clock = new VirtualClock();
    sim = await startSimulator({ clock, scenario: { processing: { imageMs: [1_000, 1_000], videoMs: [1_000, 1_000], parentMs: [1_000, 1_000] }, ...scenario } });
    graph = createGraphClient({ accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url });
  }
  const rules = (violations: readonly OracleViolation[]) => violations.map((v) => v.rule);
  const attempt = (work: Promise<unknown>) => work.then(() => undefined, () => undefined);
  const image = (url = 'https://cdn.example/o.jpg') => ({ image_url: url, caption: 'oracle' });

  it('is silent on a correct image post', async () => {
    await world();
    const id = await graph.createContainer(image());
    clock.advanceBy(1_000);
    expect((await graph.containerStatus(id)).statusCode).toBe('FINISHED');
    await graph.publish(id);
    expect(judge(sim.record, { posts: [expectedPost('ok', { kind: 'image', imageUrl: 'https://cdn.example/o.jpg' })] })).toEqual([]);
  });

  it('catches a publish before FINISHED, a publish of a carousel item and a second publish', async () => {
    await world();
    const early = await graph.createContainer(image());
    await attempt(graph.publish(early));
    const item = await graph.createContainer({ image_url: 'https://cdn.example/item.jpg', is_carousel_item: true });
    clock.advanceBy(1_000);
    await attempt(graph.publish(item));
    await graph.publish(early);
    await attempt(graph.publish(early));
    expect(rules(judge(sim.record))).toEqual(expect.arrayContaining(['publish-not-finished', 'publish-carousel-child', 'republish']));
  });

  it('catches a publish right after an ambiguous publish, but not a status read in between', async () => {
    await world();
    const id = await graph.createContainer(image());
    clock.advanceBy(1_000);
    sim.inject({ endpoint: 'publish', fault: { type: 'http500' } });
    await attempt(graph.publish(id));
    await graph.publish(id);
    expect(rules(judge(sim.record))).toContain('publish-after-ambiguous');

    const other = await graph.createContainer(image('https://cdn.example/o2.jpg'));
    clock.advanceBy(1_000);
    sim.inject({ endpoint: 'publish', fault: { type: 'reset' } });
    await attempt(graph.publish(other));
    await graph.containerStatus(other);
    await graph.publish(other);
    expect(judge(sim.record).filter((v) => v.detail.includes(other))).toEqual([]);
  });

  it('catches a poll of a container after it reported EXPIRED', async () => {
    await world();
    const id = await graph.createContainer(image());
    sim.expire(id);
    expect((await graph.containerStatus(id)).statusCode).toBe('EXPIRED');
    await graph.containerStatus(id);
    expect(rules(judge(sim.record))).toEqual(['poll-after-end']);
  });

  it('catches a carousel parent made before its items finished, and items out of spec order', async () => {
    await world();
    const a = await graph.createContainer({ image_url: 'https://cdn.example/a.jpg', is_carousel_item: true });
    const b = await graph.createContainer({ image_url: 'https://cdn.example/b.jpg', is_carousel_item: true });
    await attempt(graph.createContainer({ media_type: 'CAROUSEL', children: `${a},${b}` }));
    clock.advanceBy(1_000);
    const parent = await graph.createContainer({ media_type: 'CAROUSEL', children: `${b},${a}` });
    clock.advanceBy(1_000);
    await graph.publish(parent);
    const spec = { kind: 'carousel', items: [{ imageUrl: 'https://cdn.example/a.jpg' }, { imageUrl: 'https://cdn.example/b.jpg' }] };
    expect(rules(judge(sim.record, { posts: [expectedPost('c', spec)] }))).toEqual(expect.arrayContaining(['parent-before-children', 'children-out-of-order']));
  });

  it('catches stories out of spec order, and a story published twice', async () => {
    await world();
    const urls = ['https://cdn.example/s1.jpg', 'https://cdn.example/s2.jpg'];
    const [first, second] = [await graph.createContainer({ media_type: 'STORIES', image_url: urls[0] }), await graph.createContainer({ media_type: 'STORIES', image_url: urls[1] })];
    clock.advanceBy(1_000);
    await graph.publish(second);
    await graph.publish(first);
    const again = await graph.createContainer({ media_type: 'STORIES', image_url: urls[0] });
    clock.advanceBy(1_000);
    await graph.publish(again);
    const spec = { kind: 'stories', items: urls.map((imageUrl) => ({ imageUrl })) };
    expect(rules(judge(sim.record, { posts: [expectedPost('s', spec)] }))).toEqual(expect.arrayContaining(['stories-out-of-order', 'post-published-twice', 'duplicate-post']));
  });

  it('catches a caption on a carousel item', async () => {
    await world();
    await attempt(graph.createContainer({ image_url: 'https://cdn.example/a.jpg', is_carousel_item: true, caption: 'no' }));
    expect(rules(judge(sim.record))).toContain('caption-on-child');
  });

  it('catches a request to a throttled account before its block ends, not one after', async () => {
    await world();
    sim.inject({ endpoint: 'limit', fault: { type: 'throttle', code: 80002, regainAfterMinutes: 2 } });
    await attempt(graph.publishingLimit());
    clock.advanceBy(60_000);
    await graph.publishingLimit();
    expect(rules(judge(sim.record))).toEqual(['request-during-block']);
    clock.advanceBy(61_000);
    await graph.publishingLimit();
    expect(rules(judge(sim.record))).toEqual(['request-during-block']);
  });

  it('catches a publish Instagram refused as over the daily quota, but not an injected refusal', async () => {
    await world({ quotaTotal: 0 });
    const id = await graph.createContainer(image());
    clock.advanceBy(1_000);
    await attempt(graph.publish(id));
    expect(rules(judge(sim.record))).toEqual(['over-quota-publish']);
  });
});
