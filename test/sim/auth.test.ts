import { describe, expect, it } from 'vitest';
import { call, create, graphError, img, instant, publish, sim, TOKEN, USER } from './helpers.js';

const OTHER = '17841400000000002';

describe('simulator token check', () => {
  it('refuses a request without a token with code 190', async () => {
    const s = await sim();
    const reply = await call(s, 'POST', `/v25.0/${USER}/media`, { json: { image_url: img() }, token: null });
    expect(reply.status).toBe(400);
    expect(graphError(reply)).toMatchObject({ code: 190, type: 'OAuthException' });
    expect(reply.headers.get('www-authenticate')).toContain('invalid_token');
    expect(s.record.containers).toHaveLength(0);
  });

  it('refuses a wrong token with code 190 and creates nothing', async () => {
    const s = await sim();
    const reply = await call(s, 'POST', `/v25.0/${USER}/media`, { json: { image_url: img() }, token: 'nope' });
    expect(reply.status).toBe(400);
    expect(graphError(reply).code).toBe(190);
    expect(s.record.containers).toHaveLength(0);
  });

  it("refuses one account's token on another account's edges and containers (100 / 33)", async () => {
    const s = await sim({ accounts: [{ igUserId: USER, token: TOKEN }, { igUserId: OTHER, token: 'other-token' }] });
    const onEdge = await call(s, 'POST', `/v25.0/${OTHER}/media`, { json: { image_url: img() } });
    expect(graphError(onEdge)).toMatchObject({ code: 100, error_subcode: 33 });
    const id = await create(s, { image_url: img() }, OTHER, 'other-token');
    const read = await call(s, 'GET', `/v25.0/${id}`);
    expect(graphError(read)).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it('accepts Authorization: OAuth on the Graph host, as the resumable-upload guide sends it', async () => {
    const s = await sim();
    const response = await fetch(`${s.url}/v25.0/${USER}/media`, {
      method: 'POST',
      headers: { authorization: `OAuth ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ image_url: img() }),
    });
    expect(response.status).toBe(200);
    expect(s.record.containers).toHaveLength(1);
  });

  it('accepts access_token in the query string but records a violation', async () => {
    const s = await sim();
    const reply = await call(s, 'POST', `/v25.0/${USER}/media`, { query: { access_token: TOKEN, image_url: img() }, token: null });
    expect(reply.status).toBe(200);
    expect(s.record.violationsOf('token-in-query')).toEqual([expect.objectContaining({ requestSeq: 1 })]);
    expect(s.record.requests[0]?.params).toEqual({ image_url: img() });
  });

  it('accepts any non-empty token for any account with acceptAnyToken', async () => {
    const s = await sim({ acceptAnyToken: true, scenario: { processing: instant } });
    const id = await create(s, { image_url: img() }, '17841499999999999', 'whatever');
    expect((await publish(s, id, '17841499999999999', 'anything-else')).status).toBe(200);
    expect(s.record.publishesOf('17841499999999999')).toHaveLength(1);
    const missing = await call(s, 'GET', `/v25.0/${id}`, { token: null });
    expect(graphError(missing).code).toBe(190);
  });

  it('never puts the token in the record', async () => {
    const secret = 'EAAG-very-secret-token-123';
    const s = await sim({ accounts: [{ igUserId: USER, token: secret }], scenario: { processing: instant } });
    const id = await create(s, { image_url: img(), caption: 'c' }, USER, secret);
    await call(s, 'POST', `/v25.0/${USER}/media_publish`, { form: { creation_id: id, access_token: secret }, token: null });
    await call(s, 'GET', `/v25.0/${id}`, { query: { access_token: secret, fields: 'status_code' }, token: null });
    await call(s, 'POST', `/v25.0/${USER}/media`, { json: { access_token: secret, image_url: img(2) }, token: null });
    expect(s.record.publishes).toHaveLength(1);
    expect(s.record.containers).toHaveLength(2);
    expect(s.record.requests).toHaveLength(4);
    expect(JSON.stringify(s.record)).not.toContain(secret);
    expect(s.record.violationsOf('token-in-query')).toHaveLength(3);
  });
});
