import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/sim/simulator.js';
import { call, create, graphError, img, instant, publish, sim, TOKEN, USER, type Reply } from './helpers.js';

/** A request that may die at the transport level. */
async function attempt(promise: Promise<Reply>): Promise<Reply | { failed: string }> {
  try {
    return await promise;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { failed: cause?.code ?? cause?.message ?? String(error) };
  }
}

const createImage = (s: Simulator, n = 1): Promise<Reply> => call(s, 'POST', `/v25.0/${USER}/media`, { json: { image_url: img(n) } });

describe('simulator transport faults', () => {
  it('http500: Graph envelope code 2, transient, HTTP 500, nothing created', async () => {
    const s = await sim();
    s.inject({ endpoint: 'create', fault: { type: 'http500' } });
    const reply = await createImage(s);
    expect(reply.status).toBe(500);
    expect(graphError(reply)).toMatchObject({ code: 2, is_transient: true });
    expect(s.record.containers).toHaveLength(0);
    expect(s.record.requests[0]).toMatchObject({ status: 500, fault: 'http500' });
  });

  it('http500 with applyEffect: the publish happened anyway', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const id = await create(s, { image_url: img() });
    s.inject({ endpoint: 'publish', fault: { type: 'http500', applyEffect: true } });
    expect((await publish(s, id)).status).toBe(500);
    expect(s.record.publishes).toHaveLength(1);
    expect(s.statusOf(id)).toBe('PUBLISHED');
  });

  it('html502: an HTML page with content-type text/html, nothing created', async () => {
    const s = await sim();
    s.inject({ endpoint: 'create', fault: { type: 'html502' } });
    const reply = await createImage(s);
    expect(reply.status).toBe(502);
    expect(reply.headers.get('content-type')).toMatch(/^text\/html/);
    expect(reply.text).toContain('<html');
    expect(reply.json).toBeUndefined();
    expect(s.record.containers).toHaveLength(0);
  });

  it('empty: 200 with an empty body, effect applied', async () => {
    const s = await sim();
    s.inject({ endpoint: 'create', fault: { type: 'empty' } });
    const reply = await createImage(s);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('');
    expect(s.record.containers).toHaveLength(1);
  });

  it('truncated: 200 with the first half of the JSON body, effect applied', async () => {
    const s = await sim();
    s.inject({ endpoint: 'create', fault: { type: 'truncated' } });
    const reply = await createImage(s);
    expect(reply.status).toBe(200);
    const full = JSON.stringify({ id: s.record.containers[0]?.id });
    expect(reply.text).toBe(full.slice(0, Math.floor(full.length / 2)));
    expect(reply.json).toBeUndefined();
  });

  it('garbage: 200 with non-JSON text, effect applied', async () => {
    const s = await sim();
    s.inject({ endpoint: 'create', fault: { type: 'garbage' } });
    const reply = await createImage(s);
    expect(reply.status).toBe(200);
    expect(reply.text.length).toBeGreaterThan(0);
    expect(reply.json).toBeUndefined();
    expect(s.record.containers).toHaveLength(1);
  });

  it('reset: the socket dies without an answer and nothing happens', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const id = await create(s, { image_url: img() });
    s.inject({ endpoint: 'publish', fault: { type: 'reset' } });
    const result = await attempt(publish(s, id));
    expect(result).toHaveProperty('failed');
    expect(s.record.publishes).toHaveLength(0);
    expect(s.statusOf(id)).toBe('FINISHED');
    expect(s.record.requestsTo('publish')[0]).toMatchObject({ status: 0, fault: 'reset' });
  });

  it('lostResponse: the publish really happens, then the socket dies', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const id = await create(s, { image_url: img(), caption: 'lost' });
    s.inject({ endpoint: 'publish', fault: { type: 'lostResponse' } });
    const result = await attempt(publish(s, id));
    expect(result).toHaveProperty('failed');
    expect(s.record.publishes).toEqual([expect.objectContaining({ containerId: id })]);
    expect(s.statusOf(id)).toBe('PUBLISHED');
    const media = await call(s, 'GET', `/v25.0/${USER}/media`, { query: { fields: 'id,caption' } });
    expect((media.json as { data: unknown[] }).data).toEqual([{ id: s.record.publishes[0]?.mediaId, caption: 'lost' }]);
  });

  it('slow: answers after a real delay, effect applied even if the client gave up', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const id = await create(s, { image_url: img() });
    s.inject({ endpoint: 'publish', times: 2, fault: { type: 'slow', delayMs: 200 } });
    const started = Date.now();
    const reply = await publish(s, id);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(reply.status).toBe(200);

    const other = await create(s, { image_url: img(2) });
    const aborted = await attempt(
      call(s, 'POST', `/v25.0/${USER}/media_publish`, { json: { creation_id: other }, signal: AbortSignal.timeout(50) }),
    );
    expect(aborted).toHaveProperty('failed');
    expect(s.record.publishes.map((p) => p.containerId)).toEqual([id, other]);
  });

  it('graphError: any code, subcode, message and HTTP status', async () => {
    const s = await sim();
    s.inject({ endpoint: 'create', fault: { type: 'graphError', code: 4, subcode: 2207051, message: 'spam', isTransient: false } });
    s.inject({ endpoint: 'create', nth: 2, fault: { type: 'graphError', code: 1, httpStatus: 503 } });
    const first = await createImage(s, 1);
    expect(first.status).toBe(400);
    expect(graphError(first)).toMatchObject({ code: 4, error_subcode: 2207051, message: 'spam', is_transient: false });
    const second = await createImage(s, 2);
    expect(second.status).toBe(503);
    expect(graphError(second)).toMatchObject({ code: 1, is_transient: true });
    expect(s.record.containers).toHaveLength(0);
  });

  it('throttle: the code as HTTP 400 with usage headers at 100%', async () => {
    const s = await sim();
    s.inject({ endpoint: 'status', fault: { type: 'throttle', code: 4, regainAfterMinutes: 7 } });
    const id = await create(s, { image_url: img() });
    const reply = await call(s, 'GET', `/v25.0/${id}`);
    expect(reply.status).toBe(400);
    expect(graphError(reply)).toMatchObject({ code: 4, is_transient: true });
    expect(JSON.parse(reply.headers.get('x-app-usage') ?? '{}')).toEqual({ call_count: 100, total_time: 100, total_cputime: 100 });
    const buc = JSON.parse(reply.headers.get('x-business-use-case-usage') ?? '{}') as Record<string, Record<string, unknown>[]>;
    expect(buc[USER]?.[0]).toMatchObject({ type: 'instagram', call_count: 100, estimated_time_to_regain_access: 7 });
  });

  it('quotaFull: publish refused with 9 / 2207042 and the limit reads full', async () => {
    const s = await sim({ scenario: { processing: instant, quotaTotal: 25 } });
    const id = await create(s, { image_url: img() });
    s.inject({ endpoint: 'publish', fault: { type: 'quotaFull' } });
    s.inject({ endpoint: 'limit', fault: { type: 'quotaFull' } });
    expect(graphError(await publish(s, id))).toMatchObject({ code: 9, error_subcode: 2207042 });
    const limit = await call(s, 'GET', `/v25.0/${USER}/content_publishing_limit`);
    expect(limit.json).toEqual({ data: [{ quota_usage: 25 }] });
    expect((await publish(s, id)).status).toBe(200);
  });
});

describe('simulator fault rule matching', () => {
  it('fires on the nth matching request for `times` requests', async () => {
    const s = await sim();
    s.inject({ endpoint: 'create', nth: 2, times: 2, fault: { type: 'http500' } });
    const statuses: number[] = [];
    for (let n = 1; n <= 5; n += 1) statuses.push((await createImage(s, n)).status);
    expect(statuses).toEqual([200, 500, 500, 200, 200]);
  });

  it('fires forever with times: Infinity', async () => {
    const s = await sim({ scenario: { faults: [{ endpoint: 'create', times: Infinity, fault: { type: 'http500' } }] } });
    for (let n = 1; n <= 4; n += 1) expect((await createImage(s, n)).status).toBe(500);
  });

  it('counts only requests to its endpoint and account', async () => {
    const other = '17841400000000002';
    const s = await sim({ accounts: [{ igUserId: USER, token: TOKEN }, { igUserId: other, token: 'other' }] });
    s.inject({ endpoint: 'create', account: other, fault: { type: 'http500' } });
    expect((await createImage(s)).status).toBe(200);
    expect((await call(s, 'GET', `/v25.0/${USER}/media`)).status).toBe(200);
    const reply = await call(s, 'POST', `/v25.0/${other}/media`, { json: { image_url: img() }, token: 'other' });
    expect(reply.status).toBe(500);
  });

  it('matches creates on media_type', async () => {
    const s = await sim();
    s.inject({ endpoint: 'create', mediaType: 'STORIES', fault: { type: 'http500' } });
    expect((await createImage(s)).status).toBe(200);
    const story = await call(s, 'POST', `/v25.0/${USER}/media`, { json: { media_type: 'STORIES', image_url: img() } });
    expect(story.status).toBe(500);
  });

  it('stops firing once the rule is removed', async () => {
    const s = await sim();
    const remove = s.inject({ endpoint: 'create', times: Infinity, fault: { type: 'http500' } });
    expect((await createImage(s, 1)).status).toBe(500);
    remove();
    expect((await createImage(s, 2)).status).toBe(200);
  });

  it('rejects an invalid rule', async () => {
    const s = await sim();
    expect(() => s.inject({ endpoint: 'create', nth: 0, fault: { type: 'http500' } })).toThrow();
    expect(() => s.inject({ endpoint: 'create', fault: { type: 'throttle', code: 5 as 4 } })).toThrow();
  });

  it('replaces scenario faults with setScenario', async () => {
    const s = await sim({ scenario: { faults: [{ endpoint: 'create', times: Infinity, fault: { type: 'http500' } }] } });
    expect((await createImage(s, 1)).status).toBe(500);
    s.setScenario({ faults: [] });
    expect((await createImage(s, 2)).status).toBe(200);
  });
});

describe('simulator error-after-effect faults', () => {
  it('graphError with applyEffect: 4 / 2207051 answered while the post went live', async () => {
    const s = await sim({ scenario: { processing: instant } });
    const id = await create(s, { image_url: img() });
    s.inject({ endpoint: 'publish', fault: { type: 'graphError', code: 4, subcode: 2207051, applyEffect: true } });
    const reply = await publish(s, id);
    expect(reply.status).toBe(400);
    expect(graphError(reply)).toMatchObject({ code: 4, error_subcode: 2207051 });
    expect(s.record.publishes).toHaveLength(1);
    expect(s.statusOf(id)).toBe('PUBLISHED');
  });
});
