import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { expectedPost, judge, type OracleViolation } from '../../src/sim/oracle.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { call, create, img, publish, sim, status, USER } from './helpers.js';
import { createResumable, fileBytes, sha256, upload, uploadFrom, videoStatus } from './upload-helpers.js';

const rules = (violations: readonly OracleViolation[]) => violations.map((v) => v.rule);

describe('the oracle over resumable uploads', () => {
  it('is silent on an upload cut by a reset, resumed from video_status, processed and published', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { processing: { videoMs: [10_000, 10_000] } } });
    const file = fileBytes(900_000);
    const { id, uri } = await createResumable(s, { caption: 'resumed' });
    s.inject({ endpoint: 'upload', fault: { type: 'resetAfterBytes', bytes: 123_456 } });
    expect(await uploadFrom(uri, file, 0)).toHaveProperty('failed');
    const offset = (await videoStatus(s, id)).video_status?.uploading_phase.bytes_transferred ?? 0;
    expect(await uploadFrom(uri, file, offset)).toMatchObject({ status: 200 });
    clock.advanceBy(10_000);
    expect((await status(s, id)).status_code).toBe('FINISHED');
    expect((await publish(s, id)).status).toBe(200);
    expect(judge(s.record, { posts: [expectedPost('reel', { kind: 'reel', videoSha256: sha256(file) })] })).toEqual([]);
  });

  it('flags a media_publish before the upload completed, with no upload and after part of one', async () => {
    const s = await sim({ scenario: { processing: { videoMs: [0, 0] } } });
    const none = await createResumable(s);
    await publish(s, none.id);
    const part = await createResumable(s);
    await upload(part.uri, { offset: 0, fileSize: 1_000, body: Readable.from([fileBytes(400)]) });
    await publish(s, part.id);
    const found = judge(s.record).filter((v) => v.rule === 'publish-before-upload');
    expect(found.map((v) => v.detail)).toEqual([
      `media_publish of ${none.id} before its resumable upload completed`,
      `media_publish of ${part.id} before its resumable upload completed`,
    ]);
  });

  it('flags a carousel parent asked for before an item finished its upload', async () => {
    const s = await sim({ scenario: { processing: { videoMs: [0, 0], imageMs: [0, 0] } } });
    const video = await createResumable(s, { media_type: 'VIDEO', is_carousel_item: true });
    const image = await create(s, { image_url: img(), is_carousel_item: true });
    await call(s, 'POST', `/v25.0/${USER}/media`, { json: { media_type: 'CAROUSEL', children: `${video.id},${image}` } });
    expect(rules(judge(s.record))).toContain('publish-before-upload');
  });

  it('flags an offset gap and an offset overlap, but not a resume at the server offset', async () => {
    const s = await sim({ scenario: { processing: { videoMs: [0, 0] } } });
    const file = fileBytes(5_000);
    const { uri } = await createResumable(s);
    await upload(uri, { offset: 0, fileSize: file.length, body: Readable.from([file.subarray(0, 2_000)]) });
    await uploadFrom(uri, file, 3_000);
    await uploadFrom(uri, file, 1_000);
    await uploadFrom(uri, file, 2_000);
    const found = judge(s.record).filter((v) => v.rule === 'upload-offset-mismatch');
    expect(found.map((v) => v.detail)).toEqual([
      expect.stringContaining('a gap of 1000 bytes') as string,
      expect.stringContaining('an overlap of 1000 bytes') as string,
    ]);
    expect(judge(s.record).filter((v) => v.rule !== 'upload-offset-mismatch')).toEqual([]);
  });

  it('flags a body sent past file_size as content written twice', async () => {
    const s = await sim({ scenario: { processing: { videoMs: [0, 0] } } });
    const { id, uri } = await createResumable(s);
    const reply = await upload(uri, { offset: 0, fileSize: 1_000, body: Readable.from([fileBytes(1_500)]) });
    expect(reply).toMatchObject({ status: 400, json: { debug_info: { type: 'PartialRequestError' } } });
    expect(s.record.uploadOf(id)).toMatchObject({ received: 1_000, bytesSent: 1_500 });
    expect(judge(s.record).filter((v) => v.rule === 'upload-written-twice').map((v) => v.detail)).toEqual([
      `upload to ${id} sent 500 bytes past file_size 1000`,
    ]);
  });
});
