import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/adapters/memory-store.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { heldDispatcher, heldStore } from '../support/held.js';
import { sim, USER } from '../sim/helpers.js';

/** The test-only clock holding (test/support/held.ts): what lets virtual-time tests do real I/O without time jumping under it. */
describe('held decorators of the virtual clock', () => {
  it('holds the clock from a request until its answer: a timer due meanwhile waits', async () => {
    const clock = new VirtualClock();
    const s = await sim({ clock });
    const dispatcher = heldDispatcher(clock);
    let nowDuringRequest: number | undefined;
    const t0 = clock.now();
    s.hooks.onRequest = async () => {
      clock.schedule(() => undefined, 1_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
      nowDuringRequest = clock.now();
    };
    const answer = await clock.run(request(`${s.url}/v25.0/${USER}/media`, { dispatcher, headers: { authorization: 'Bearer sim-token' } }).then((r) => r.body.text()));
    expect(answer).toContain('data');
    expect(nowDuringRequest).toBe(t0);
    // released once answered: the timer can now fire
    await clock.run(new Promise<void>((resolve) => clock.schedule(resolve, 1_000)));
    expect(clock.now()).toBe(t0 + 1_000);
    await dispatcher.close();
  });

  it('lets go of the clock when an exchange fails (nothing listens), so time is never stuck', async () => {
    const clock = new VirtualClock();
    const dispatcher = heldDispatcher(clock);
    const t0 = clock.now();
    await expect(clock.run(request('http://127.0.0.1:1/', { dispatcher }))).rejects.toThrow();
    await clock.run(new Promise<void>((resolve) => clock.schedule(resolve, 5_000)));
    expect(clock.now()).toBe(t0 + 5_000);
    await dispatcher.close();
  });

  it('holds the clock while a store operation is pending, and lets go when it fails', async () => {
    const clock = new VirtualClock();
    const t0 = clock.now();
    const slow = memoryStore();
    const original = slow.posts.list.bind(slow.posts);
    let nowInside: number | undefined;
    slow.posts.list = async (query) => {
      clock.schedule(() => undefined, 1_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
      nowInside = clock.now();
      return original(query);
    };
    slow.posts.get = () => Promise.reject(new Error('down'));
    const held = heldStore(slow, clock);
    await clock.run(held.posts.list());
    expect(nowInside).toBe(t0);
    await expect(clock.run(held.posts.get('x'))).rejects.toThrow('down');
    await clock.run(new Promise<void>((resolve) => clock.schedule(resolve, 5_000)));
    expect(clock.now()).toBe(t0 + 5_000);
  });
});
