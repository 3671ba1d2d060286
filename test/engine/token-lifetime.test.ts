import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileStore } from '../../src/adapters/file-store.js';
import type { Engine } from '../../src/engine/engine.js';
import type { EngineEvent } from '../../src/engine/engine-events.js';
import type { EngineOptions } from '../../src/engine/engine-options.js';
import type { AccessToken } from '../../src/graph/token-keeper.js';
import { judge } from '../../src/sim/oracle.js';
import { startSimulator, type AccountOptions, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { virtualEngine } from '../support/virtual-engine.js';

/**
 * Token lifetime (issue 17, part 4): a token given as a function is asked
 * for at each request; with refresh on, a long-lived Instagram Login token
 * is refreshed once when it nears its expiry, and `token-expiring` comes
 * days ahead of an expiry the Graph API reported. No token ever reaches an
 * event, an error or the store.
 */
const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);
const USER = '17841400000000001';

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await readdir(dir)) {
    const path = join(dir, name);
    if ((await stat(path)).isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

describe('token lifetime', () => {
  let sim: Simulator | undefined;
  const engines: Engine[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(engines.splice(0).map((e) => e.shutdown()));
    if (sim) expect(judge(sim.record)).toEqual([]);
    await sim?.close();
    sim = undefined;
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });

  async function setup(account: Omit<AccountOptions, 'igUserId'>, accessToken: AccessToken, extra: Omit<Partial<EngineOptions>, 'clock'> = {}) {
    const clock = new VirtualClock(START);
    sim = await startSimulator({ clock, accounts: [{ igUserId: USER, ...account }], scenario: { processing: { imageMs: [2_000, 2_000], videoMs: [2_000, 2_000], parentMs: [2_000, 2_000] } } });
    const dir = await mkdtemp(join(tmpdir(), 'igflow-token-'));
    dirs.push(dir);
    const inspected: string[] = [];
    const engine = virtualEngine({ store: fileStore(dir), clock, graph: { accessToken, igUserId: USER, baseUrl: sim.url }, pollIntervalMs: 100, inspect: (e) => inspected.push(JSON.stringify(e)), ...extra });
    engines.push(engine);
    const events: EngineEvent[] = [];
    engine.events$.subscribe((e) => events.push(e));
    const publish = async (n: number) => clock.run((await engine.publish({ kind: 'image', id: `tok-${n}`, imageUrl: `https://cdn.example/t${n}.jpg` })).result);
    return { clock, engine, sim, dir, events, publish, inspected };
  }
  /** Every trace a token could leave: the events, the store's files. */
  async function expectNowhere(tokens: readonly string[], events: readonly EngineEvent[], dir: string, inspected: readonly string[]) {
    const text = JSON.stringify(events) + inspected.join('\n') + (await Promise.all((await filesUnder(dir)).map((f) => readFile(f, 'utf8')))).join('\n');
    expect(inspected.length).toBeGreaterThan(0);
    for (const token of tokens) expect(text).not.toContain(token);
  }

  it('asks a token function at each request: a token rotated by the app is used for the next request', async () => {
    let calls = 0;
    const rotated = () => {
      calls += 1;
      return Promise.resolve(world.clock.now() < START + DAY ? 'tok-first' : 'tok-second');
    };
    const world = await setup({ token: 'tok-first', tokenExpiresAt: START + DAY }, rotated);
    world.sim.issueToken(USER, 'tok-second');
    await world.publish(1);
    const before = calls;
    expect(before).toBeGreaterThanOrEqual(world.sim.record.requests.length);
    world.clock.advanceTo(START + 2 * DAY);
    // the first token has expired at Instagram: only the rotated one gets through
    await world.publish(2);
    expect(world.sim.record.publishes).toHaveLength(2);
    expect(world.sim.record.requests.filter((r) => r.answer?.errorCode === 190)).toEqual([]);
    expect(calls).toBeGreaterThan(before);
    await expectNowhere(['tok-first', 'tok-second'], world.events, world.dir, world.inspected);
  });

  it('a token function that fails sends nothing and says so without the token', async () => {
    const world = await setup({ token: 'tok-x' }, () => Promise.reject(new Error('vault down for tok-x')));
    const handle = await world.engine.publish({ kind: 'image', id: 'no-token', imageUrl: 'https://cdn.example/n.jpg' });
    const seen: EngineEvent[] = [];
    handle.events$.subscribe((e) => seen.push(e));
    await world.clock.run(new Promise<void>((resolve) => {
      const sub = handle.events$.subscribe((e) => e.type === 'waiting' && (sub.unsubscribe(), resolve()));
    }));
    expect(world.sim.record.requests).toHaveLength(0);
    const waiting = seen.find((e) => e.type === 'waiting');
    expect(JSON.stringify(waiting)).toContain('accessToken function failed');
    expect(JSON.stringify(seen)).not.toContain('tok-x');
  });

  it('refreshes a long-lived token once when it nears its expiry, and uses the new one from then on', async () => {
    const refreshed: Array<{ token: string; expiresAt: number }> = [];
    const world = await setup({ token: 'tok-long', tokenIssuedAt: START - 30 * DAY, tokenExpiresAt: START + 12 * DAY }, 'tok-long', {
      tokenRefresh: { expiresAt: START + 12 * DAY, refreshBeforeMs: 10 * DAY, onRefreshed: (token, expiresAt) => refreshed.push({ token, expiresAt }) },
    });
    await world.publish(1);
    expect(world.sim.record.refreshes).toHaveLength(0);
    world.clock.advanceTo(START + 3 * DAY);
    await world.publish(2);
    await world.publish(3);
    expect(world.sim.record.refreshes).toHaveLength(1);
    const refresh = world.sim.record.requestsTo('refresh')[0]!;
    expect(refresh.path).toBe('/refresh_access_token');
    expect(refresh.params).toEqual({ grant_type: 'ig_refresh_token' });
    expect(world.sim.record.violationsOf('token-in-query')).toEqual([]);
    // the expiry is the API's: expires_in of the answer
    expect(refreshed.map((r) => r.expiresAt)).toEqual([world.sim.record.refreshes[0]!.expiresAt]);
    expect(refreshed[0]!.token).not.toBe('tok-long');
    // past the old token's expiry only the refreshed one gets through
    world.clock.advanceTo(START + 13 * DAY);
    await world.publish(4);
    expect(world.sim.record.publishes).toHaveLength(4);
    expect(world.sim.record.requests.filter((r) => r.answer?.errorCode === 190)).toEqual([]);
    expect(world.sim.record.refreshes).toHaveLength(1);
    expect(world.events.filter((e) => e.type === 'token-expiring')).toEqual([]);
    await expectNowhere(['tok-long', refreshed[0]!.token], world.events, world.dir, world.inspected);
  });

  it('announces token-expiring once, days ahead of the expiry the refresh answer reported, when refreshing stops working', async () => {
    const world = await setup({ token: 'tok-old', tokenIssuedAt: START - 30 * DAY }, 'tok-old', { tokenRefresh: { refreshBeforeMs: 10 * DAY, warnBeforeMs: 7 * DAY } });
    // the first request learns the expiry from a refresh (igflow never guesses it)
    await world.publish(1);
    expect(world.sim.record.refreshes).toHaveLength(1);
    const expiresAt = world.sim.record.refreshes[0]!.expiresAt;
    world.sim.inject({ endpoint: 'refresh', fault: { type: 'graphError', code: 190, message: 'refresh refused' }, times: Infinity });
    world.clock.advanceTo(expiresAt - 8 * DAY);
    await world.publish(2);
    expect(world.events.filter((e) => e.type === 'token-expiring')).toEqual([]);
    world.clock.advanceTo(expiresAt - 6 * DAY);
    await world.publish(3);
    world.clock.advanceTo(expiresAt - 5 * DAY);
    await world.publish(4);
    const warnings = world.events.filter((e) => e.type === 'token-expiring');
    expect(warnings).toEqual([expect.objectContaining({ account: USER, expiresAt: new Date(expiresAt).toISOString(), postId: '(worker)' })]);
    expect(Date.parse(warnings[0]!.expiresAt) - Date.parse(warnings[0]!.at)).toBeGreaterThan(5 * DAY);
    const problems = world.events.filter((e) => e.type === 'problem');
    expect(problems.some((p) => p.type === 'problem' && p.message.includes('could not be refreshed'))).toBe(true);
    await expectNowhere(['tok-old'], world.events, world.dir, world.inspected);
  });
});
