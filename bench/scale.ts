/**
 * Scale: 1,000 accounts and 20,000 image posts (20 per account) worked by
 * 4 engines sharing one store, on virtual time, against the simulator over
 * real loopback HTTP, with throttles and quotas in the mix:
 * - every 25th account is throttled (code 17) on its 3rd status read and
 *   Instagram then holds it blocked for 30 minutes;
 * - every 10th account may publish only 12 a day, so 8 of its posts wait
 *   for the moving window (about a day).
 * Checked by the simulator's record and its oracle, not the engines' view:
 * every post published once, no account over its quota in any moving 24 h,
 * no request during a block, Instagram never had to refuse a publish.
 * Prints the figures (posts, requests, virtual time, real time, store
 * slot operations). Sizes: `BENCH_SCALE` (0.1: 100 accounts, 2,000 posts).
 * Run alone: `node --import tsx bench/scale.ts` (the memory store) or with
 * `SCALE_STORE=postgres` (one schema, four store objects).
 * `SCALE_IDLE_MS` sets the workers' idle look (default 5,000, igflow's):
 * on virtual time each look is real I/O to PostgreSQL, and a day of 5 s
 * looks by 4 workers is most of the run (1,000 posts: 201 s at 5 s, 32 s
 * at 60 s, same outcome), while NOTIFY and the parked posts' wake times
 * already wake the workers when there is work.
 */
import { randomBytes } from 'node:crypto';
import { memoryStore } from '../src/adapters/memory-store.js';
import { postgresStore } from '../src/adapters/postgres/postgres-store.js';
import type { Store } from '../src/adapters/store.js';
import type { Engine } from '../src/engine/engine.js';
import { judge } from '../src/sim/oracle.js';
import { startSimulator } from '../src/sim/simulator.js';
import type { AccountOptions } from '../src/sim/world.js';
import { VirtualClock } from '../src/time/virtual-clock.js';
import { virtualEngine } from '../test/support/virtual-engine.js';
import { interceptedStore } from '../test/support/intercepted-store.js';
import { pgAdmin, PG_URL } from './postgres.js';
import { worstWindow } from '../test/support/moving-window.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const factor = Number(process.env.BENCH_SCALE ?? '1');
const ACCOUNTS = Math.max(10, Math.round(1_000 * factor));
const PER_ACCOUNT = 20;
const WORKERS = 4;
const LOW_QUOTA = 12;
const throttled = (i: number) => i % 25 === 3;
const lowQuota = (i: number) => i % 10 === 7;

async function main(): Promise<void> {
  const clock = new VirtualClock();
  const accounts: AccountOptions[] = Array.from({ length: ACCOUNTS }, (_, i) => ({
    igUserId: `178414${String(i).padStart(11, '0')}`,
    token: `scale-token-${i}`,
    ...(lowQuota(i) ? { quotaTotal: LOW_QUOTA } : {}),
  }));
  const sim = await startSimulator({
    clock,
    accounts,
    scenario: {
      processing: { imageMs: [2_000, 6_000] },
      quotaTotal: 100,
      faults: accounts.flatMap((a, i) => (throttled(i) ? [{ endpoint: 'status' as const, account: a.igUserId, nth: 3, fault: { type: 'throttle' as const, code: 17 as const, regainAfterMinutes: 30, hold: true } }] : [])),
    },
  });
  const kind = process.env.SCALE_STORE ?? 'memory';
  const schema = `igflow_scale_${randomBytes(4).toString('hex')}`;
  const url = PG_URL;
  const shared = kind === 'memory' ? memoryStore() : undefined;
  const slotCalls = { n: 0 };
  const counted = (store: Store) => interceptedStore(store, (op, proceed) => {
    if (op === 'ledger.takeSlot') slotCalls.n += 1;
    return proceed();
  });
  const stores = Array.from({ length: WORKERS + 1 }, () => counted(shared ?? postgresStore({ connectionString: url, schema })));
  const graphs = accounts.map((a) => ({ accessToken: a.token, igUserId: a.igUserId, baseUrl: sim.url }));
  const producer = virtualEngine({ store: stores[0]!, clock, graph: graphs, pollIntervalMs: 5_000 });
  const started = Date.now();
  for (let i = 0; i < ACCOUNTS * PER_ACCOUNT; i++) {
    const account = accounts[i % ACCOUNTS]!.igUserId;
    await producer.enqueue({ kind: 'image', id: `scale-${i}`, imageUrl: `https://cdn.example/scale/${i}.jpg`, caption: `scale ${i}` }, { account });
  }
  await producer.shutdown();
  const enqueuedMs = Date.now() - started;
  const workers: Engine[] = stores.slice(1).map((store) => virtualEngine({ store, clock, graph: graphs, pollIntervalMs: 5_000, leaseMs: 10 * 60_000 }));
  const t0 = clock.now();
  const running = workers.map((w) => w.work({ concurrency: 200, idleMs: Number(process.env.SCALE_IDLE_MS ?? 5_000) }));
  const total = ACCOUNTS * PER_ACCOUNT;
  await clock.run(
    (async () => {
      while (sim.record.publishes.length < total) await new Promise((resolve) => setTimeout(resolve, 20));
    })(),
    { stallMs: 60_000, maxVirtualMs: 10 * DAY },
  );
  const virtualMs = clock.now() - t0;
  await Promise.all(workers.map((w) => w.shutdown()));
  await Promise.all(running);
  const realMs = Date.now() - started;

  const { record } = sim;
  const publishes = record.publishes;
  const byAccount = new Map<string, number[]>();
  for (const p of publishes) byAccount.set(p.account, [...(byAccount.get(p.account) ?? []), p.at]);
  const over = accounts.filter((a, i) => worstWindow(byAccount.get(a.igUserId) ?? []) > (lowQuota(i) ? LOW_QUOTA : 100)).length;
  const violations = judge(record);
  const duringBlock = violations.filter((v) => v.rule === 'request-during-block').length;
  const refused = record.requests.filter((r) => r.endpoint === 'publish' && r.status !== 200).length;
  const throttleAnswers = record.requests.filter((r) => r.answer?.throttledUntil !== undefined).length;
  const figures = {
    store: kind,
    accounts: ACCOUNTS,
    posts: total,
    workers: WORKERS,
    published: publishes.length,
    distinctContainers: new Set(publishes.map((p) => p.containerId)).size,
    requests: record.requests.length,
    throttleAnswers,
    requestsDuringBlock: duringBlock,
    accountsOverQuota: over,
    publishesRefused: refused,
    otherViolations: violations.length - duringBlock,
    slotOperations: slotCalls.n,
    virtualHours: +(virtualMs / HOUR).toFixed(1),
    enqueueSeconds: +(enqueuedMs / 1000).toFixed(1),
    realSeconds: +(realMs / 1000).toFixed(1),
  };
  console.log(JSON.stringify(figures, null, 2));
  if (violations.length > 0) console.log(violations.slice(0, 5));
  await sim.close();
  await Promise.all([...new Set(stores)].map((s) => s.close()));
  if (kind !== 'memory') {
    const admin = await pgAdmin();
    await admin.dropSchema(schema);
    await admin.close();
  }
  const ok = figures.published === total && figures.distinctContainers === total && over === 0 && duringBlock === 0 && refused === 0 && violations.length === 0;
  process.exit(ok ? 0 : 1);
}

await main();
