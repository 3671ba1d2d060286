import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MockAgent } from 'undici';
import { createGraphClient, type GraphClient } from '../../src/graph/client.js';
import { InvalidGraphOptions } from '../../src/graph/graph-options.js';
import { answer, startScriptedServer, type ScriptedServer } from '../support/scripted-server.js';

const TOKEN = 'EAAG-secret-token-0123456789';
const USER = '17841400008460056';

describe('Graph client request shapes', () => {
  let server: ScriptedServer;
  let graph: GraphClient;

  beforeEach(async () => {
    server = await startScriptedServer();
    graph = createGraphClient({ accessToken: TOKEN, igUserId: USER, baseUrl: server.url, apiVersion: 'v22.0' });
  });
  afterEach(async () => {
    await graph.close();
    await server.close();
  });

  const last = () => server.requests.at(-1)!;

  it('creates a container with a JSON body, the token only in the Authorization header', async () => {
    server.respond((_req, res) => answer(res, 200, { id: '17889455560051444' }));
    const id = await graph.createContainer({ image_url: 'https://cdn.example/a.jpg', caption: 'Dawn', user_tags: [{ username: 'x', x: 0.5, y: 0.8 }] });
    expect(id).toBe('17889455560051444');
    const req = last();
    expect(req.method).toBe('POST');
    expect(req.url.pathname).toBe(`/v22.0/${USER}/media`);
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({ image_url: 'https://cdn.example/a.jpg', caption: 'Dawn', user_tags: [{ username: 'x', x: 0.5, y: 0.8 }] });
    expect(req.url.search).toBe('');
  });

  it('reads a container status with fields=status_code,status,id', async () => {
    server.respond((_req, res) => answer(res, 200, { status_code: 'IN_PROGRESS', status: 'In progress: Media is still being processed.', id: 'C1' }));
    const status = await graph.containerStatus('C1');
    expect(status).toEqual({ id: 'C1', statusCode: 'IN_PROGRESS', status: 'In progress: Media is still being processed.' });
    expect(last().method).toBe('GET');
    expect(last().url.pathname).toBe('/v22.0/C1');
    expect(last().url.searchParams.get('fields')).toBe('status_code,status,id');
    expect(last().url.searchParams.has('access_token')).toBe(false);
  });

  it('publishes with creation_id and returns the media id', async () => {
    server.respond((_req, res) => answer(res, 200, { id: '17920238422030506' }));
    await expect(graph.publish('P1')).resolves.toBe('17920238422030506');
    expect(last().url.pathname).toBe(`/v22.0/${USER}/media_publish`);
    expect(JSON.parse(last().body)).toEqual({ creation_id: 'P1' });
  });

  it('reads the publishing limit, with since in unix seconds', async () => {
    server.respond((_req, res) => answer(res, 200, { data: [{ quota_usage: 2, config: { quota_total: 100, quota_duration: 86400 } }] }));
    const limit = await graph.publishingLimit({ sinceMs: 1_767_225_600_999 });
    expect(limit).toEqual({ quotaUsage: 2, quotaTotal: 100, quotaDurationMs: 86_400_000, totalReported: true });
    expect(last().url.pathname).toBe(`/v22.0/${USER}/content_publishing_limit`);
    expect(last().url.searchParams.get('fields')).toBe('quota_usage,config');
    expect(last().url.searchParams.get('since')).toBe('1767225600');
  });

  it('falls back to a quota of 50 when quota_total is missing', async () => {
    server.respond((_req, res) => answer(res, 200, { data: [{ quota_usage: 7 }] }));
    expect(await graph.publishingLimit()).toEqual({ quotaUsage: 7, quotaTotal: 50, quotaDurationMs: 86_400_000, totalReported: false });
  });

  it('lists recent media and stories with their timestamps', async () => {
    server.respond((req, res) =>
      answer(res, 200, {
        data: [{ id: req.url.pathname.endsWith('stories') ? 'S1' : 'M1', caption: 'hi', media_product_type: 'FEED', timestamp: '2026-01-01T00:00:00+0000' }],
      }),
    );
    const media = await graph.recentMedia({ sinceMs: 1_767_225_600_000, limit: 10 });
    expect(media).toEqual([{ id: 'M1', caption: 'hi', mediaType: undefined, productType: 'FEED', timestamp: 1_767_225_600_000, permalink: undefined }]);
    expect(last().url.pathname).toBe(`/v22.0/${USER}/media`);
    expect(last().url.searchParams.get('since')).toBe('1767225600');
    expect(last().url.searchParams.get('limit')).toBe('10');
    expect(last().url.searchParams.get('fields')).toContain('media_product_type');
    const stories = await graph.recentStories();
    expect(stories.map((s) => s.id)).toEqual(['S1']);
    expect(last().url.pathname).toBe(`/v22.0/${USER}/stories`);
  });

  it('keeps a path prefix of the base URL', async () => {
    const prefixed = createGraphClient({ accessToken: TOKEN, igUserId: USER, baseUrl: `${server.url}/proxy/ig/` });
    await prefixed.createContainer({ image_url: 'https://cdn.example/a.jpg' });
    expect(last().url.pathname).toBe(`/proxy/ig/v25.0/${USER}/media`);
    await prefixed.close();
  });

  it('reuses one keep-alive connection for consecutive calls', async () => {
    server.respond((_req, res) => answer(res, 200, { status_code: 'FINISHED', id: 'C' }));
    for (let i = 0; i < 10; i++) await graph.containerStatus('C');
    const ports = new Set(server.requests.map((r) => r.remotePort));
    expect(server.requests).toHaveLength(10);
    // without keep-alive every call would open a connection of its own
    expect(ports.size).toBeLessThanOrEqual(2);
  });
});

describe('Graph client hosts and options', () => {
  it.each([
    ['instagram', 'https://graph.instagram.com'],
    ['facebook', 'https://graph.facebook.com'],
  ] as const)('with %s login, talks to %s by default', async (login, origin) => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent.get(origin).intercept({ path: `/v25.0/${USER}/media_publish`, method: 'POST' }).reply(200, { id: 'M9' });
    const graph = createGraphClient({ accessToken: TOKEN, igUserId: USER, login, dispatcher: agent });
    await expect(graph.publish('C9')).resolves.toBe('M9');
    agent.assertNoPendingInterceptors();
    await agent.close();
  });

  it('refuses bad options with every problem listed and no token in the message', () => {
    const attempt = () => createGraphClient({ accessToken: '', igUserId: 'not an id!', apiVersion: '25', baseUrl: 'ftp://x' });
    expect(attempt).toThrow(InvalidGraphOptions);
    try {
      attempt();
    } catch (err) {
      const problems = (err as InvalidGraphOptions).problems;
      expect(problems.map((p) => p.split(':')[0])).toEqual(['accessToken', 'igUserId', 'baseUrl', 'apiVersion']);
    }
    try {
      createGraphClient({ accessToken: TOKEN, igUserId: 'bad id' });
    } catch (err) {
      expect(String(err)).not.toContain(TOKEN);
    }
  });
});
