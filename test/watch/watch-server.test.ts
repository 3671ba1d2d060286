import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/memory-store.js';
import { WatchOptionsError } from '../../src/watch/watch-options.js';
import { createWatchServer, type WatchServer } from '../../src/watch/watch-server.js';

describe('createWatchServer', () => {
  const open: WatchServer[] = [];
  afterEach(async () => {
    for (const server of open.splice(0)) await server.close();
  });

  it('refuses a host beyond loopback without a watch token, and a token too short to be a secret', async () => {
    await expect(createWatchServer({ store: memoryStore(), host: '0.0.0.0' })).rejects.toThrow(WatchOptionsError);
    await expect(createWatchServer({ store: memoryStore(), host: '0.0.0.0' })).rejects.toThrow('would be open to the network: give a watch token');
    await expect(createWatchServer({ store: memoryStore(), token: 'short' })).rejects.toThrow('at least 16 characters');
  });

  it('serves data only with the bearer token when it has one, and stays read-only', async () => {
    const token = 'a-watch-secret-of-32-characters!';
    const server = await createWatchServer({ store: memoryStore(), token });
    open.push(server);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(server.url);
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain(token);
    expect((await fetch(`${server.url}api/posts`)).status).toBe(401);
    expect((await fetch(`${server.url}api/posts`, { headers: { authorization: `Bearer ${token}x` } })).status).toBe(401);
    const answer = await fetch(`${server.url}api/posts`, { headers: { authorization: `Bearer ${token}` } });
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { posts: unknown[] }).posts).toEqual([]);
    expect((await fetch(`${server.url}api/posts`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } })).status).toBe(405);
  });
});
