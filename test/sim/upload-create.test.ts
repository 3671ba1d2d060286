import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { call, graphError, img, sim, status, USER, vid } from './helpers.js';
import { createResumable, videoStatus } from './upload-helpers.js';

const mediaPath = `/v25.0/${USER}/media`;

describe('resumable create (upload_type=resumable)', () => {
  it('answers {id, uri} with the uri on the simulator itself, named by the Host header', async () => {
    const s = await sim();
    const { id, uri } = await createResumable(s);
    expect(uri).toBe(`${s.url}/ig-api-upload/v25.0/${id}`);
    const record = s.record.container(id);
    expect(record).toMatchObject({ kind: 'video', productType: 'REELS', readyAt: Infinity });
    expect(s.record.uploadOf(id)).toMatchObject({ received: 0, bytesSent: 0, attempts: 0, offsets: [], fileSize: undefined, sha256: undefined });
  });

  it('keeps the version of the create call in the uri, and a scenario may name another base', async () => {
    const s = await sim({ scenario: { upload: { baseUrl: 'http://upload.sim.test:9/' } } });
    const reply = await call(s, 'POST', `/v22.0/${USER}/media`, { json: { media_type: 'STORIES', upload_type: 'resumable' } });
    const { id, uri } = reply.json as { id: string; uri: string };
    expect(uri).toBe(`http://upload.sim.test:9/ig-api-upload/v22.0/${id}`);
    expect(s.record.container(id)).toMatchObject({ kind: 'video', productType: 'STORY' });
  });

  it('accepts a carousel VIDEO item and a standalone VIDEO, like a video_url create', async () => {
    const s = await sim();
    const item = await createResumable(s, { media_type: 'VIDEO', is_carousel_item: true });
    expect(s.record.container(item.id)).toMatchObject({ kind: 'video', isCarouselItem: true, mediaType: 'VIDEO' });
    expect(s.record.uploadOf(item.id)).toBeDefined();
  });

  it('refuses upload_type on an image, with video_url, on a carousel, or with another value (code 100)', async () => {
    const s = await sim();
    const cases = [
      { upload_type: 'resumable', image_url: img() },
      { upload_type: 'resumable', media_type: 'STORIES', image_url: img() },
      { upload_type: 'resumable', media_type: 'REELS', video_url: vid() },
      { upload_type: 'resumable', media_type: 'CAROUSEL', children: '1,2' },
      { upload_type: 'RESUMABLE', media_type: 'REELS' },
    ];
    for (const json of cases) {
      const reply = await call(s, 'POST', mediaPath, { json });
      expect(graphError(reply).code, JSON.stringify(json)).toBe(100);
    }
    expect(s.record.containers).toHaveLength(0);
  });

  it('stays IN_PROGRESS with an upload-incomplete status until the bytes arrive, and still expires after 24 h', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { processing: { videoMs: [0, 0] } } });
    const { id } = await createResumable(s);
    expect(await videoStatus(s, id)).toEqual({
      id,
      status: 'In progress: Media upload is not complete.',
      status_code: 'IN_PROGRESS',
      video_status: { uploading_phase: { status: 'not_started', bytes_transferred: 0 }, processing_phase: { status: 'not_started' } },
    });
    clock.advanceBy(86_400_000 - 1);
    expect((await status(s, id)).status_code).toBe('IN_PROGRESS');
    clock.advanceBy(1);
    expect((await status(s, id)).status_code).toBe('EXPIRED');
  });

  it('leaves video_status out on a container fed by video_url', async () => {
    const s = await sim();
    const reply = await call(s, 'POST', mediaPath, { json: { media_type: 'REELS', video_url: vid() } });
    const { id } = reply.json as { id: string };
    const read = await call(s, 'GET', `/v25.0/${id}`, { query: { fields: 'status_code,video_status' } });
    expect(read.json).toEqual({ status_code: 'IN_PROGRESS', id });
  });
});
