import { describe, expect, it } from 'vitest';
import { call, sim, TOKEN, USER } from './helpers.js';
import { createResumable, debugInfo, fileBytes, uploadFrom } from './upload-helpers.js';

const OTHER = '17841400000000002';

describe('upload host token check (Authorization: OAuth only)', () => {
  it('refuses a missing header and a Bearer token with HTTP 401 and the debug_info envelope', async () => {
    const s = await sim();
    const { id, uri } = await createResumable(s);
    for (const authorization of [null, `Bearer ${TOKEN}`]) {
      const reply = await uploadFrom(uri, fileBytes(100), 0, { authorization });
      expect(reply).toMatchObject({ status: 401 });
      expect(debugInfo(reply)).toEqual({
        retriable: false,
        type: 'ProcessingFailedError',
        message: JSON.stringify({ success: false, error: { message: 'unauthorized user request' } }),
      });
    }
    expect(s.record.uploadOf(id)).toMatchObject({ received: 0, attempts: 2, bytesSent: 200 });
    expect(s.record.requestsTo('upload').map((r) => r.upload?.outcome)).toEqual(['failure', 'failure']);
  });

  it("refuses an unknown token and another account's token with HTTP 400", async () => {
    const s = await sim({ accounts: [{ igUserId: USER, token: TOKEN }, { igUserId: OTHER, token: 'other-token' }] });
    const { id, uri } = await createResumable(s);
    for (const authorization of ['OAuth nope', 'OAuth other-token']) {
      const reply = await uploadFrom(uri, fileBytes(100), 0, { authorization });
      expect(reply).toMatchObject({ status: 400 });
      expect(debugInfo(reply)).toMatchObject({ retriable: false, type: 'ProcessingFailedError' });
    }
    expect(s.record.uploadOf(id)?.received).toBe(0);
  });

  it('accepts the OAuth scheme case-insensitively, and any token with acceptAnyToken', async () => {
    const s = await sim({ acceptAnyToken: true, scenario: { processing: { videoMs: [0, 0] } } });
    const { id, uri } = await createResumable(s);
    expect(await uploadFrom(uri, fileBytes(100), 0, { authorization: 'oauth whatever' })).toMatchObject({ status: 200 });
    expect(s.statusOf(id)).toBe('FINISHED');
  });

  it('never puts the token in the record', async () => {
    const secret = 'EAAG-upload-secret-456';
    const s = await sim({ accounts: [{ igUserId: USER, token: secret }] });
    const reply = await call(s, 'POST', `/v25.0/${USER}/media`, { json: { media_type: 'REELS', upload_type: 'resumable' }, token: secret });
    const { uri } = reply.json as { uri: string };
    await uploadFrom(uri, fileBytes(100), 0, { authorization: `OAuth ${secret}` });
    expect(JSON.stringify(s.record)).not.toContain(secret);
  });
});
