import { describe, expect, it } from 'vitest';
import type { ContainerStatus, GraphClient } from '../../src/graph/client.js';
import { observedGraph, processingKindOf } from '../../src/polling/observed-graph.js';
import { PollHistory } from '../../src/polling/poll-history.js';

/** A Graph client whose answers the test scripts, one status per container at a time. */
function scriptedGraph() {
  const statuses = new Map<string, ContainerStatus['statusCode']>();
  let next = 0;
  const graph: GraphClient = {
    igUserId: '178',
    login: 'instagram',
    createContainer: () => Promise.resolve(`c${(next += 1)}`),
    containerStatus: (id) => Promise.resolve({ id, statusCode: statuses.get(id) ?? 'IN_PROGRESS', status: undefined }),
    publish: (id) => Promise.resolve(`m-${id}`),
    uploadedBytes: () => Promise.resolve(0),
    upload: () => Promise.resolve(),
    publishingLimit: () => Promise.resolve({ quotaUsage: 0, quotaTotal: 100, quotaDurationMs: 86_400_000, totalReported: true }),
    recentMedia: () => Promise.resolve([]),
    recentStories: () => Promise.resolve([]),
    close: () => Promise.resolve(),
  };
  return { graph, statuses };
}

describe('observedGraph', () => {
  it('tells the history the interval between the last read still processing and the read that saw FINISHED', async () => {
    const { graph, statuses } = scriptedGraph();
    const history = new PollHistory({ minObservations: 1 });
    let now = 1_000;
    const watched = observedGraph(graph, history, () => now);
    const id = await watched.createContainer({ media_type: 'REELS', video_url: 'https://cdn.example/v.mp4' });
    now += 5_000;
    await watched.containerStatus(id);
    now += 10_000;
    await watched.containerStatus(id);
    statuses.set(id, 'FINISHED');
    now += 20_000;
    expect((await watched.containerStatus(id)).statusCode).toBe('FINISHED');
    expect(history.snapshot().series).toEqual([{ account: '178', kind: 'video', intervals: [[15_000, 35_000]] }]);
    // read again (a verification after publish): nothing more is learned
    await watched.containerStatus(id);
    expect(history.count('178', 'video')).toBe(1);
  });

  it('learns nothing from containers it did not see made, nor from ones that end otherwise', async () => {
    const { graph, statuses } = scriptedGraph();
    const history = new PollHistory({ minObservations: 1 });
    const watched = observedGraph(graph, history, () => 0);
    statuses.set('from-the-store', 'FINISHED');
    await watched.containerStatus('from-the-store');
    const failed = await watched.createContainer({ image_url: 'https://cdn.example/a.jpg' });
    statuses.set(failed, 'ERROR');
    await watched.containerStatus(failed);
    statuses.set(failed, 'FINISHED');
    await watched.containerStatus(failed);
    expect(history.snapshot().series).toEqual([]);
  });

  it('is the same client for everything else', async () => {
    const { graph } = scriptedGraph();
    const watched = observedGraph(graph, new PollHistory(), () => 0);
    expect(watched.igUserId).toBe('178');
    expect(watched.login).toBe('instagram');
    expect(await watched.publish('c9')).toBe('m-c9');
  });

  it('tells parents, videos and images apart by what is sent', () => {
    expect(processingKindOf({ media_type: 'CAROUSEL', children: 'a,b' })).toBe('parent');
    expect(processingKindOf({ media_type: 'STORIES', video_url: 'https://cdn.example/s.mp4' })).toBe('video');
    expect(processingKindOf({ media_type: 'STORIES', image_url: 'https://cdn.example/s.jpg' })).toBe('image');
    expect(processingKindOf({ media_type: 'VIDEO', video_url: 'https://cdn.example/s.mp4', is_carousel_item: true })).toBe('video');
    expect(processingKindOf({ image_url: 'https://cdn.example/a.jpg' })).toBe('image');
  });
});
