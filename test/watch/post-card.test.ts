import { describe, expect, it } from 'vitest';
import { ENVELOPE_VERSION, PostEnvelope } from '../../src/adapters/envelope.js';
import { describePost } from '../../src/views/describe-post.js';
import { postCard } from '../../src/watch/post-card.js';

const envelope = (fields: Partial<PostEnvelope>): PostEnvelope =>
  PostEnvelope.parse({ v: ENVELOPE_VERSION, postId: 'p-1', key: 'look-1', account: '17841400000000001', machine: 'post', status: 'active', state: 'preparing', version: 3, createdAt: 1_000, updatedAt: 2_000, ...fields });

const waitChild = (wakeAt: number) => ({ src: 'wait', snapshot: { status: 'active', input: { postId: 'p-1', wakeAt } } });

describe('the card of a stored post', () => {
  it('says what status says, shows the caption excerpt and never the lease token', () => {
    const post = envelope({ spec: { kind: 'image', caption: 'x'.repeat(300) }, lease: { owner: 'vm/1/a', token: 'lease-token-abc', until: 9_000 } });
    const card = postCard(post);
    expect(card.summary).toBe(describePost(post));
    expect(card.caption).toHaveLength(120);
    expect(card.heldBy).toBe('vm/1/a');
    expect(JSON.stringify(card)).not.toContain('lease-token-abc');
  });

  it('takes the wait of a parked post from its envelope, and else the earliest wait running in its snapshot', () => {
    expect(postCard(envelope({ state: 'waitingQuota', wakeAt: 50_000, waitReason: 'quota' })).wait).toEqual({ until: 50_000, reason: 'quota' });
    const polling = {
      status: 'active',
      value: { preparing: 'single' },
      context: {},
      children: { container: { src: 'container', snapshot: { status: 'active', value: { polling: 'waiting' }, context: { containerId: '1789' }, children: { wait: waitChild(7_000) } } } },
    };
    const card = postCard(envelope({ spec: { kind: 'image' }, snapshot: polling }));
    expect(card.wait).toEqual({ until: 7_000, reason: 'processing' });
    expect(card.parts).toEqual([{ label: 'container', state: 'polling', path: 'polling.waiting', containerId: '1789', upload: null, mediaId: null }]);
    expect(card.charts).toEqual([
      { machine: 'post', marks: [{ path: 'preparing.single', badge: null }] },
      { machine: 'container', marks: [{ path: 'polling.waiting', badge: null }] },
    ]);
    const scheduled = { status: 'active', value: 'ready', context: { container: { containerId: '1789', createdAt: 1 } }, children: { wait: waitChild(9_000) } };
    const ready = postCard(envelope({ state: 'ready', spec: { kind: 'reel' }, snapshot: scheduled }));
    expect(ready.wait).toEqual({ until: 9_000, reason: 'schedule' });
    expect(ready.parts.map((p) => [p.label, p.state, p.containerId])).toEqual([['container', 'finished', '1789']]);
  });

  it('shows the remedy of a failed post, and the published container of a compacted one', () => {
    const error = { name: 'GraphError', errorClass: 'invalid-input' as const, retryable: false, message: 'The image is too small', remedy: 'Use an image at least 320 px wide.' };
    const failed = postCard(envelope({ status: 'failed', state: 'failed', result: { outcome: 'failed', error } }));
    expect(failed.error).toEqual({ message: 'The image is too small', remedy: 'Use an image at least 320 px wide.' });
    expect(failed.charts).toEqual([{ machine: 'post', marks: [{ path: 'failed', badge: null }] }]);
    const published = postCard(envelope({ status: 'published', state: 'published', spec: { kind: 'carousel', items: [{}, {}] }, result: { outcome: 'published', mediaId: '1792', containerId: '1789' } }));
    expect(published.mediaId).toBe('1792');
    expect(published.parts).toEqual([{ label: 'parent', state: 'published', path: 'published', containerId: '1789', upload: null, mediaId: null }]);
  });

  it('lists a sequence of stories: the live ones with their media, the one being made, the ones queued', () => {
    const snapshot = {
      status: 'active',
      value: { posting: 'running' },
      context: { index: 1, published: [{ index: 0, mediaId: 'm-0', containerId: 'c-0' }] },
      children: {
        story: {
          src: 'story',
          snapshot: { status: 'active', value: { preparing: 'single' }, context: {}, children: { container: { src: 'container', snapshot: { status: 'active', value: 'creating', context: {}, children: {} } } } },
        },
      },
    };
    const card = postCard(envelope({ machine: 'stories', state: 'posting', spec: { kind: 'stories', items: [{}, {}, {}] }, snapshot }));
    expect(card.parts.map((p) => [p.label, p.state, p.containerId, p.mediaId])).toEqual([
      ['story 1', 'published', 'c-0', 'm-0'],
      ['story 2', 'creating', null, null],
      ['story 3', 'queued', null, null],
    ]);
    expect(card.charts.map((c) => c.machine)).toEqual(['stories', 'post', 'container']);
  });

  it('reads a snapshot it does not understand as none, never throwing', () => {
    expect(postCard(envelope({ snapshot: { value: 3, children: 'no' } })).parts).toEqual([]);
    expect(postCard(envelope({ snapshot: 'garbage', spec: 42 })).kind).toBe('post');
  });
});
