import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT, startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { expectedPost, judge } from '../../src/sim/oracle.js';
import { assertPostgresReachable, closeAdminPool, dropSchema, freshSchema, PG_URL } from '../adapters/fixtures/postgres-schema.js';
import { spawnCli, tempWorkspace, type CliRun } from './cli-harness.js';

// Not reachable: the whole file fails, saying how to start PostgreSQL (never a silent skip).
await assertPostgresReachable();
afterAll(closeAdminPool);

/**
 * `igflow cancel` and `igflow reschedule` from a second process while an
 * `igflow publish` process holds the post (issue 17), on the file store and
 * on PostgreSQL: the second process acts while the simulator holds the
 * holder's request at an exact point (its quota check, the last request
 * before the pre-publish checkpoint; its media_publish, in flight), so no
 * test waits on a timer. Judged by the simulator's record and the oracle.
 */
const TOKEN = DEFAULT_ACCOUNT.token;
const env = { IG_ACCESS_TOKEN: TOKEN, IG_USER_ID: DEFAULT_ACCOUNT.igUserId };
const lines = (run: CliRun) =>
  run.stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

for (const kind of ['file', 'postgres'] as const) {
  describe(`igflow cancel and reschedule across processes (${kind} store)`, () => {
    let sim: Simulator;
    let ws: Awaited<ReturnType<typeof tempWorkspace>>;
    let store: string;
    let schema: string | undefined;
    beforeEach(async () => {
      sim = await startSimulator({ scenario: { processing: { imageMs: [20, 20], videoMs: [40, 40], parentMs: [20, 20] } } });
      ws = await tempWorkspace();
      schema = kind === 'postgres' ? freshSchema() : undefined;
      store = schema === undefined ? ws.store : `${PG_URL}?schema=${schema}`;
    });
    afterEach(async () => {
      await sim.close();
      await ws.close();
      if (schema !== undefined) await dropSchema(schema);
    });
    const publishFlags = () => ['--store', store, '--graph-url', sim.url, '--poll-interval', '10', '--no-media-checks', '--json'];
    /** Runs a second igflow process the first time the simulator sees `endpoint`, holding that request until it exits. */
    const onFirst = (endpoint: string, argv: string[]): Promise<CliRun> =>
      new Promise((resolve) => {
        let done = false;
        sim.hooks.onRequest = async (req) => {
          if (done || req.endpoint !== endpoint) return;
          done = true;
          const run = await spawnCli(argv, {}).done;
          resolve(run);
        };
      });

    it('a cancel from a second process stops the holder before media_publish: exit 0, the holder ends cancelled (exit 1), nothing published', async () => {
      const path = await ws.spec('post.json', { kind: 'image', id: 'launch', imageUrl: 'https://cdn.example/a.jpg', caption: 'cancel me' });
      const second = onFirst('limit', ['cancel', 'launch', '--store', store, '--json']);
      const holder = await spawnCli(['publish', path, ...publishFlags()], env).done;
      const cancel = await second;
      expect(cancel.code, cancel.stderr).toBe(0);
      expect(lines(cancel).at(-1)).toMatchObject({ type: 'cancelled', already: false });
      expect(holder.code, holder.stderr).toBe(1);
      const last = lines(holder).at(-1);
      expect(last).toMatchObject({ type: 'cancelled', postId: lines(cancel).at(-1)!.postId });
      expect(typeof last?.at).toBe('string');
      expect(sim.record.publishes).toHaveLength(0);
      expect(judge(sim.record, { posts: [expectedPost('launch', { kind: 'image', imageUrl: 'https://cdn.example/a.jpg' })] })).toEqual([]);
      // status agrees, filtered by state; a second cancel says already; an unknown post is exit 2
      const status = await spawnCli(['status', '--store', store, '--state', 'cancelled', '--json'], {}).done;
      expect(lines(status)).toEqual([expect.objectContaining({ key: 'launch', status: 'cancelled', state: 'cancelled' })]);
      const again = await spawnCli(['cancel', 'launch', '--store', store, '--json'], {}).done;
      expect([again.code, lines(again).at(-1)]).toEqual([0, expect.objectContaining({ type: 'cancelled', already: true })]);
      const unknown = await spawnCli(['cancel', 'nothing', '--store', store, '--json'], {}).done;
      expect([unknown.code, lines(unknown).at(-1)]).toEqual([2, expect.objectContaining({ type: 'not-cancelled', reason: 'unknown' })]);
      for (const run of [holder, cancel, status, again, unknown]) expect(`${run.stdout}${run.stderr}`).not.toContain(TOKEN);
    }, 30_000);

    it('a cancel while media_publish is in flight is too late: exit 1 (publishing), one post', async () => {
      const path = await ws.spec('post.json', { kind: 'image', id: 'late', imageUrl: 'https://cdn.example/b.jpg', caption: 'too late' });
      const second = onFirst('publish', ['cancel', 'late', '--store', store, '--json']);
      const holder = await spawnCli(['publish', path, ...publishFlags()], env).done;
      const cancel = await second;
      expect(cancel.code, cancel.stderr).toBe(1);
      expect(lines(cancel).at(-1)).toMatchObject({ type: 'not-cancelled', reason: 'publishing' });
      expect(holder.code, holder.stderr).toBe(0);
      expect(lines(holder).at(-1)).toMatchObject({ type: 'published' });
      expect(sim.record.publishes).toHaveLength(1);
      const after = await spawnCli(['cancel', 'late', '--store', store, '--json'], {}).done;
      expect([after.code, lines(after).at(-1)]).toEqual([1, expect.objectContaining({ reason: 'published' })]);
      expect(judge(sim.record, { posts: [expectedPost('late', { kind: 'image', imageUrl: 'https://cdn.example/b.jpg' })] })).toEqual([]);
    }, 30_000);

    it('a reschedule from a second process moves a held post: exit 0, the holder waits for the new time (exit 75), status filters by it', async () => {
      const path = await ws.spec('post.json', { kind: 'image', id: 'moved', imageUrl: 'https://cdn.example/c.jpg', caption: 'later' });
      const later = new Date(Date.now() + 6 * 3_600_000);
      later.setUTCMilliseconds(0);
      const second = onFirst('limit', ['reschedule', 'moved', later.toISOString(), '--store', store, '--json']);
      const holder = await spawnCli(['publish', path, ...publishFlags()], env).done;
      const moved = await second;
      expect(moved.code, moved.stderr).toBe(0);
      expect(lines(moved).at(-1)).toMatchObject({ type: 'rescheduled', publishAt: later.toISOString() });
      expect(holder.code, holder.stderr).toBe(75);
      expect(sim.record.publishes).toHaveLength(0);
      // the container made before is alive at the new time: kept, never a second one
      expect(sim.record.count('create')).toBe(1);
      const inWindow = await spawnCli(['status', '--store', store, '--from', new Date(later.getTime() - 1_000).toISOString(), '--to', new Date(later.getTime() + 1_000).toISOString(), '--json'], {}).done;
      expect(lines(inWindow)).toEqual([expect.objectContaining({ key: 'moved', state: 'ready', publishAt: later.getTime() })]);
      const outside = await spawnCli(['status', '--store', store, '--to', new Date(later.getTime() - 1_000).toISOString(), '--json'], {}).done;
      expect(lines(outside)).toEqual([]);
      const bad = await spawnCli(['reschedule', 'moved', 'next tuesday', '--store', store], {}).done;
      expect(bad.code).toBe(2);
    }, 30_000);
  });
}

