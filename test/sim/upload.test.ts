import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { create, publish, sim, status, USER } from './helpers.js';
import { createResumable, fileBytes, sha256, upload, uploadFrom, videoStatus } from './upload-helpers.js';

describe('the upload host (POST /ig-api-upload/{v}/{container-id})', () => {
  it('takes the whole file in one request, processes it like a video, then FINISHED and publishable', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { processing: { videoMs: [30_000, 30_000] } } });
    const { id, uri } = await createResumable(s, { caption: 'from a file' });
    const file = fileBytes(1_500_000);

    const reply = await uploadFrom(uri, file, 0);
    expect(reply).toEqual({ status: 200, json: { success: true, message: 'Upload successful.' }, text: expect.any(String) as string });
    expect(await videoStatus(s, id)).toEqual({
      id,
      status_code: 'IN_PROGRESS',
      status: 'In progress: Media is still being processed.',
      video_status: { uploading_phase: { status: 'complete', bytes_transferred: file.length }, processing_phase: { status: 'in_progress' } },
    });
    clock.advanceBy(30_000);
    expect((await videoStatus(s, id)).video_status?.processing_phase.status).toBe('complete');
    expect((await status(s, id)).status_code).toBe('FINISHED');
    expect((await publish(s, id)).status).toBe(200);
    expect(s.record.media[0]).toMatchObject({ caption: 'from a file', productType: 'REELS', mediaUrls: [`upload:sha256:${sha256(file)}`] });

    const uploadRequest = s.record.requestsTo('upload')[0];
    expect(uploadRequest).toMatchObject({ status: 200, account: USER, params: { offset: '0', file_size: String(file.length) } });
    expect(uploadRequest?.upload).toEqual({ containerId: id, mode: 'bytes', offset: 0, fileSize: file.length, had: 0, bodyBytes: file.length, kept: file.length, outcome: 'success' });
    expect(s.record.uploadOf(id)).toMatchObject({
      fileSize: file.length,
      received: file.length,
      bytesSent: file.length,
      attempts: 1,
      offsets: [0],
      sha256: sha256(file),
      completedBy: uploadRequest?.seq,
    });
    expect(s.record.violations).toEqual([]);
  });

  it('accepts the unversioned upload path too', async () => {
    const s = await sim({ scenario: { processing: { videoMs: [0, 0] } } });
    const { id, uri } = await createResumable(s);
    const file = fileBytes(1_000);
    expect(await uploadFrom(uri.replace('/v25.0/', '/'), file, 0)).toMatchObject({ status: 200 });
    expect(s.statusOf(id)).toBe('FINISHED');
  });

  it('keeps a short body (PartialRequestError, retriable) and resumes from it', async () => {
    const s = await sim({ scenario: { processing: { videoMs: [0, 0] } } });
    const { id, uri } = await createResumable(s);
    const file = fileBytes(200_000);
    const short = await upload(uri, { offset: 0, fileSize: file.length, body: Readable.from([file.subarray(0, 80_000)]) });
    expect(short).toMatchObject({ status: 400, json: { debug_info: { type: 'PartialRequestError', retriable: true } } });
    expect((await videoStatus(s, id)).video_status?.uploading_phase).toEqual({ status: 'in_progress', bytes_transferred: 80_000 });
    expect(await uploadFrom(uri, file, 80_000)).toMatchObject({ status: 200 });
    expect(s.record.uploadOf(id)).toMatchObject({ received: file.length, bytesSent: file.length, attempts: 2, offsets: [0, 80_000], sha256: sha256(file) });
  });

  it('refuses a body longer than file_size − offset before reading it', async () => {
    const s = await sim();
    const { id, uri } = await createResumable(s);
    const reply = await upload(uri, { offset: 0, fileSize: 10, body: fileBytes(11) });
    expect(reply).toMatchObject({ status: 400, json: { debug_info: { type: 'PartialRequestError' } } });
    expect(s.record.uploadOf(id)).toMatchObject({ received: 0, fileSize: undefined, bytesSent: 11 });
  });

  it('refuses a file_size other than the first upload declared, and headers that are not numbers', async () => {
    const s = await sim();
    const { id, uri } = await createResumable(s);
    await upload(uri, { offset: 0, fileSize: 100, body: Readable.from([fileBytes(40)]) });
    const changed = await upload(uri, { offset: 40, fileSize: 120, body: fileBytes(80) });
    expect(changed).toMatchObject({ status: 400, json: { debug_info: { type: 'ProcessingFailedError', retriable: false } } });
    for (const headers of [{ offset: 'zero', fileSize: 100 }, { offset: 40, fileSize: 0 }, {}]) {
      const reply = await upload(uri, { ...headers, body: fileBytes(60) });
      expect(reply, JSON.stringify(headers)).toMatchObject({ status: 400, json: { debug_info: { type: 'ProcessingFailedError' } } });
    }
    expect(s.record.uploadOf(id)).toMatchObject({ received: 40, fileSize: 100 });
  });

  it('takes a file_url without a body, completing after the scenario fetch time', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock, scenario: { processing: { videoMs: [1_000, 1_000] }, upload: { fileUrlFetchMs: 5_000 } } });
    const { id, uri } = await createResumable(s);
    expect(await upload(uri, { fileUrl: 'https://cdn.example/hosted.mp4' })).toMatchObject({ status: 200, json: { success: true } });
    expect((await videoStatus(s, id)).video_status?.uploading_phase.status).toBe('in_progress');
    clock.advanceBy(5_000);
    expect((await videoStatus(s, id)).video_status).toEqual({ uploading_phase: { status: 'complete', bytes_transferred: 0 }, processing_phase: { status: 'in_progress' } });
    clock.advanceBy(1_000);
    expect(s.statusOf(id)).toBe('FINISHED');
    expect(s.record.uploadOf(id)).toMatchObject({ fileUrl: 'https://cdn.example/hosted.mp4', attempts: 1, offsets: [] });
    expect(s.record.requestsTo('upload')[0]?.upload).toMatchObject({ mode: 'file_url', outcome: 'success' });
    expect((await publish(s, id)).status).toBe(200);
    expect(s.record.media[0]?.mediaUrls).toEqual(['https://cdn.example/hosted.mp4']);
  });

  it('refuses a file_url that is not an http(s) URL, and one after some bytes', async () => {
    const s = await sim();
    const { uri } = await createResumable(s);
    expect(await upload(uri, { fileUrl: 'ftp://x/y.mp4' })).toMatchObject({ status: 400, json: { debug_info: { retriable: false } } });
    await upload(uri, { offset: 0, fileSize: 100, body: Readable.from([fileBytes(10)]) });
    expect(await upload(uri, { fileUrl: 'https://cdn.example/v.mp4' })).toMatchObject({ status: 400, json: { debug_info: { type: 'ProcessingFailedError' } } });
  });

  it('refuses a container not created resumable, an unknown one, and an expired one', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock });
    const plain = await createResumable(s);
    const { id } = await createResumable(s);
    const byUrl = await create(s, { media_type: 'REELS', video_url: 'https://cdn.example/v.mp4' });
    for (const target of [byUrl, '17889455559999999']) {
      const reply = await uploadFrom(plain.uri.replace(plain.id, target), fileBytes(10), 0);
      expect(reply).toMatchObject({ status: 400, json: { debug_info: { type: 'ProcessingFailedError', retriable: false } } });
    }
    s.expire(id);
    const late = await uploadFrom(plain.uri.replace(plain.id, id), fileBytes(10), 0);
    expect(late).toMatchObject({ status: 400, json: { debug_info: { retriable: false } } });
    expect(s.record.uploadOf(id)).toMatchObject({ received: 0, attempts: 1 });
  });

  it('streams a 16 MiB chunked body chunk by chunk and seals its sha256', async () => {
    const s = await sim({ scenario: { processing: { videoMs: [0, 0] } } });
    const { id, uri } = await createResumable(s);
    const size = 16 * 1024 * 1024;
    const hash = createHash('sha256');
    function* chunks(): Generator<Buffer> {
      for (let sent = 0, n = 0; sent < size; sent += 65_536, n += 1) {
        const chunk = fileBytes(65_536, n + 1);
        hash.update(chunk);
        yield chunk;
      }
    }
    expect(await upload(uri, { offset: 0, fileSize: size, body: Readable.from(chunks()) })).toMatchObject({ status: 200 });
    expect(s.record.uploadOf(id)).toMatchObject({ received: size, bytesSent: size, sha256: hash.digest('hex') });
  });

  it('runs both hooks for an upload, onRequest before any byte is kept', async () => {
    const s = await sim({ scenario: { processing: { videoMs: [0, 0] } } });
    const { id, uri } = await createResumable(s);
    const seen: string[] = [];
    s.hooks.onRequest = (req) => {
      seen.push(`request ${req.endpoint} ${JSON.stringify(req.params)} held ${s.record.uploadOf(id)?.received}`);
    };
    s.hooks.beforeRespond = (req, outcome) => {
      seen.push(`respond ${req.endpoint} ${outcome.status} effect ${outcome.effectApplied} held ${s.record.uploadOf(id)?.received}`);
    };
    await uploadFrom(uri, fileBytes(1_000), 0);
    expect(seen).toEqual(['request upload {"offset":"0","file_size":"1000"} held 0', 'respond upload 200 effect true held 1000']);
  });
});
