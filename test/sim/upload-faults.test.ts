import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { FaultRuleSchema } from '../../src/sim/fault-schema.js';
import { graphError, publish, sim, status } from './helpers.js';
import { createResumable, debugInfo, fileBytes, sha256, upload, uploadFrom, videoStatus } from './upload-helpers.js';

const instantVideo = { processing: { videoMs: [0, 0] as [number, number] } };

describe('upload host faults and refusals', () => {
  it('resetAfterBytes: the socket dies mid-body, video_status shows the bytes kept, the resume completes it intact', async () => {
    const s = await sim({ scenario: instantVideo });
    const { id, uri } = await createResumable(s);
    const file = fileBytes(2_000_000);
    s.inject({ endpoint: 'upload', fault: { type: 'resetAfterBytes', bytes: 777_777 } });

    expect(await uploadFrom(uri, file, 0)).toHaveProperty('failed');
    const seen = await videoStatus(s, id);
    expect(seen.status_code).toBe('IN_PROGRESS');
    expect(seen.video_status?.uploading_phase).toEqual({ status: 'in_progress', bytes_transferred: 777_777 });
    expect(s.record.requestsTo('upload')[0]).toMatchObject({ status: 0, fault: 'resetAfterBytes', upload: { outcome: 'reset', kept: 777_777, had: 0 } });

    const offset = seen.video_status?.uploading_phase.bytes_transferred ?? 0;
    expect(await uploadFrom(uri, file, offset)).toMatchObject({ status: 200, json: { success: true } });
    const rec = s.record.uploadOf(id);
    expect(rec).toMatchObject({ received: file.length, attempts: 2, offsets: [0, 777_777], sha256: sha256(file) });
    expect((rec?.bytesSent ?? 0) / file.length).toBe(1);
    expect(s.statusOf(id)).toBe('FINISHED');
    expect((await publish(s, id)).status).toBe(200);
  });

  it('a client that hangs up mid-body leaves the bytes that arrived, and resumes from them', async () => {
    const s = await sim({ scenario: instantVideo });
    const { id, uri } = await createResumable(s);
    const file = fileBytes(600_000);
    const body = new PassThrough();
    const sending = upload(uri, { offset: 0, fileSize: file.length, body });
    body.write(file.subarray(0, 250_000));
    await vi.waitFor(() => expect(s.record.uploadOf(id)?.received).toBe(250_000));
    body.destroy(new Error('client crashed'));
    expect(await sending).toHaveProperty('failed');
    await vi.waitFor(() => expect(s.record.requestsTo('upload')[0]?.upload?.outcome).toBe('client-aborted'));

    const offset = (await videoStatus(s, id)).video_status?.uploading_phase.bytes_transferred ?? -1;
    expect(offset).toBe(250_000);
    expect(await uploadFrom(uri, file, offset)).toMatchObject({ status: 200 });
    expect(s.record.uploadOf(id)).toMatchObject({ received: file.length, sha256: sha256(file), bytesSent: file.length });
  });

  it('refuses an offset other than the bytes held: OffsetInvalidError, retriable, without saying the offset', async () => {
    const s = await sim();
    const { id, uri } = await createResumable(s);
    const file = fileBytes(10_000);
    const gap = await uploadFrom(uri, file, 4_000);
    expect(gap).toMatchObject({ status: 400 });
    expect(debugInfo(gap)).toMatchObject({ retriable: true, type: 'OffsetInvalidError' });
    expect(debugInfo(gap).message).not.toMatch(/\d/);
    expect(s.record.uploadOf(id)).toMatchObject({ received: 0, offsets: [4_000], bytesSent: 6_000 });
    expect(s.record.requestsTo('upload')[0]?.upload).toMatchObject({ offset: 4_000, had: 0, kept: 0, outcome: 'failure', failureType: 'OffsetInvalidError' });
  });

  it('refuses a second upload while one is streaming into the same session', async () => {
    const s = await sim({ scenario: instantVideo });
    const { id, uri } = await createResumable(s);
    const file = fileBytes(100_000);
    const body = new PassThrough();
    const first = upload(uri, { offset: 0, fileSize: file.length, body });
    body.write(file.subarray(0, 10_000));
    await vi.waitFor(() => expect(s.record.uploadOf(id)?.received).toBe(10_000));
    const second = await uploadFrom(uri, file, 10_000);
    expect(debugInfo(second)).toMatchObject({ type: 'OffsetInvalidError', retriable: true });
    body.end(file.subarray(10_000));
    expect(await first).toMatchObject({ status: 200 });
    expect(s.record.uploadOf(id)).toMatchObject({ received: file.length, sha256: sha256(file) });
  });

  it('http500: HTTP 500 with a retriable debug_info, nothing kept', async () => {
    const s = await sim();
    const { id, uri } = await createResumable(s);
    s.inject({ endpoint: 'upload', fault: { type: 'http500' } });
    const reply = await uploadFrom(uri, fileBytes(50_000), 0);
    expect(reply).toMatchObject({ status: 500 });
    expect(debugInfo(reply)).toMatchObject({ retriable: true, type: 'ProcessingFailedError' });
    expect(s.record.uploadOf(id)).toMatchObject({ received: 0, fileSize: undefined, bytesSent: 50_000 });
    expect(s.record.requestsTo('upload')[0]).toMatchObject({ status: 500, fault: 'http500', upload: { outcome: 'fault', kept: 0 } });
  });

  it('lostResponse: every byte is in and the upload complete, but the client never hears', async () => {
    const s = await sim({ scenario: instantVideo });
    const { id, uri } = await createResumable(s);
    const file = fileBytes(300_000);
    s.inject({ endpoint: 'upload', fault: { type: 'lostResponse' } });
    expect(await uploadFrom(uri, file, 0)).toHaveProperty('failed');
    expect((await videoStatus(s, id)).video_status?.uploading_phase).toEqual({ status: 'complete', bytes_transferred: file.length });
    expect(s.record.uploadOf(id)).toMatchObject({ sha256: sha256(file), completedBy: s.record.requestsTo('upload')[0]?.seq });
    // Re-sending "from the server's offset" is an empty body, and it is answered as a success.
    expect(await upload(uri, { offset: file.length, fileSize: file.length, body: Buffer.alloc(0) })).toMatchObject({ status: 200, json: { success: true } });
    expect(s.record.uploadOf(id)?.bytesSent).toBe(file.length);
  });

  it('uploadError with retriable false kills the session: the container reads ERROR and later uploads are refused', async () => {
    const s = await sim({ scenario: instantVideo });
    const { id, uri } = await createResumable(s);
    s.inject({ endpoint: 'upload', fault: { type: 'uploadError', message: 'video file is corrupt' } });
    const reply = await uploadFrom(uri, fileBytes(1_000), 0);
    expect(reply).toMatchObject({ status: 400 });
    expect(debugInfo(reply)).toEqual({ retriable: false, type: 'ProcessingFailedError', message: JSON.stringify({ success: false, error: { message: 'video file is corrupt' } }) });
    expect(await status(s, id)).toEqual({ id, status_code: 'ERROR', status: 'Error: Media upload has failed with error code 2207053' });
    expect((await videoStatus(s, id)).video_status?.uploading_phase).toEqual({
      status: 'error',
      bytes_transferred: 0,
      errors: [{ code: 2207053, message: 'video file is corrupt' }],
    });
    expect(debugInfo(await uploadFrom(uri, fileBytes(1_000), 0))).toMatchObject({ retriable: false, type: 'ProcessingFailedError' });
    expect(graphError(await publish(s, id)).code).toBe(9007);
  });

  it('uploadError with retriable true refuses once and leaves the session alive', async () => {
    const s = await sim({ scenario: instantVideo });
    const { id, uri } = await createResumable(s);
    s.inject({ endpoint: 'upload', fault: { type: 'uploadError', errorType: 'PartialRequestError', retriable: true, httpStatus: 503 } });
    const file = fileBytes(1_000);
    expect(await uploadFrom(uri, file, 0)).toMatchObject({ status: 503, json: { debug_info: { type: 'PartialRequestError', retriable: true } } });
    expect(await uploadFrom(uri, file, 0)).toMatchObject({ status: 200 });
    expect(s.statusOf(id)).toBe('FINISHED');
  });

  it('reset on upload drops the connection before reading anything', async () => {
    const s = await sim();
    const { id, uri } = await createResumable(s);
    s.inject({ endpoint: 'upload', fault: { type: 'reset' } });
    expect(await uploadFrom(uri, fileBytes(1_000), 0)).toHaveProperty('failed');
    expect(s.record.uploadOf(id)).toMatchObject({ received: 0, bytesSent: 0, attempts: 1 });
  });

  it('matches upload rules on the container kind, and refuses upload-only faults elsewhere and Graph-only ones on upload', async () => {
    const s = await sim({ scenario: instantVideo });
    const story = await createResumable(s, { media_type: 'STORIES' });
    const reel = await createResumable(s);
    s.inject({ endpoint: 'upload', mediaType: 'STORIES', fault: { type: 'http500' } });
    expect(await uploadFrom(reel.uri, fileBytes(10), 0)).toMatchObject({ status: 200 });
    expect(await uploadFrom(story.uri, fileBytes(10), 0)).toMatchObject({ status: 500 });
    expect(() => FaultRuleSchema.parse({ endpoint: 'publish', fault: { type: 'resetAfterBytes', bytes: 1 } })).toThrow(/upload endpoint only/);
    expect(() => FaultRuleSchema.parse({ endpoint: 'upload', fault: { type: 'throttle', code: 4 } })).toThrow(/does not apply to the upload endpoint/);
    expect(() => s.inject({ endpoint: 'upload', fault: { type: 'quotaFull' } })).toThrow();
  });
});
