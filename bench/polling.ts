/**
 * `npm run bench -- polling`: reads per container and detection lag of
 * igflow's polling against the schedules of its peers, on virtual time.
 *
 * Every schedule drives the real container machine (`provideEffects`)
 * against the real simulator over loopback on a VirtualClock; the
 * simulator draws each container's processing time from a lognormal mix
 * (images median 4 s, σ 0.6 of ln; videos median 45 s, σ 0.7; seed 2026,
 * BENCH_SCALE × 500 containers per kind, one after another, so every
 * schedule sees the same containers in the same order). Reads and lag are
 * taken from the simulator's record: lag is from the moment a container
 * became FINISHED to the first read at or after it. The simulator's
 * `pollFloorMs` counts reads of one container closer than the 5 s unit.
 *
 * igflow runs adaptive twice: warm, after 200 containers (the history's
 * window) drawn with another seed, and cold, learning from nothing (its
 * first 8 containers on the seed's schedule). A third row reads on the
 * plan igflow would choose if it knew the true mix (what learning can
 * reach at best). Then, per kind, the exact reads–lag frontier of optimal
 * plans on the true mix, and for a missed target a lower bound on the
 * reads any schedule with reads ≥ 5 s apart needs at that lag
 * (`minReadsAtLag`): when it exceeds the target, the target is infeasible.
 */
import { adaptiveTiming, learnedPlan } from '../src/polling/adaptive-timing.js';
import { choosePlan } from '../src/polling/plan-choice.js';
import { DEFAULT_ACCOUNT } from '../src/sim/simulator.js';
import type { LogNormal } from '../src/polling/lognormal.js';
import { PollHistory } from '../src/polling/poll-history.js';
import { DEFAULT_PROCESSING_DEADLINE_MS, type Timing } from '../src/machines/timing.js';
import { frontier, minReadsAtLag } from './polling-bound.js';
import { runContainers, type BenchKind, type RunSeen } from './polling-run.js';
import { fixed20, fixed5, fixed60, growth, oracle, seed, UNIT_MS } from './polling-schedules.js';
import { scaled } from './settings.js';
import { fmt } from './stats.js';
import { reportSummary, type SummaryRow } from './summary.js';
import { printTable } from './table.js';

const SEED = 2026;
const MEASURED = scaled(500);
const WARM_UP = 200;
const MIX: Record<BenchKind, { readonly medianMs: number; readonly sigma: number }> = { image: { medianMs: 4_000, sigma: 0.6 }, video: { medianMs: 45_000, sigma: 0.7 } };
/** How far the plans and bounds on the true mix reach: where next to no container is still processing. */
const HORIZON_MS: Record<BenchKind, number> = { image: 120_000, video: 900_000 };

/** A run's figures: mean reads, mean and p95 lag (ms). */
interface Figures {
  readonly reads: number;
  readonly lagMs: number;
  readonly p95Ms: number;
  readonly tooFast: number;
  readonly processing: readonly number[];
  /** For igflow adaptive: what it learned by the end, and the trade-off it chose on it. */
  readonly learned?: string;
}

const figuresOf = (run: RunSeen): Figures => {
  const n = run.containers.length;
  const lags = run.containers.map((c) => c.lagMs).sort((a, b) => a - b);
  return {
    reads: run.containers.reduce((sum, c) => sum + c.reads, 0) / n,
    lagMs: lags.reduce((a, b) => a + b, 0) / n,
    p95Ms: lags[Math.min(n - 1, Math.ceil(0.95 * n) - 1)]!,
    tooFast: run.tooFast,
    processing: run.containers.map((c) => c.processingMs),
  };
};
const trueMix = (kind: BenchKind): LogNormal => ({ mu: Math.log(MIX[kind].medianMs), sigma: MIX[kind].sigma });
const s = (ms: number) => `${fmt(ms / 1_000, 2)} s`;
const r = (reads: number) => fmt(reads, 2);

type Row = 'warm' | 'cold' | 'oracle' | 'fixed5' | 'fixed20' | 'fixed60' | 'seed' | 'growth';
const LABELS: Record<Row, string> = {
  warm: `igflow adaptive, after ${WARM_UP} containers`,
  cold: 'igflow adaptive, cold (learns from its first)',
  oracle: 'igflow plan on the true mix (best case)',
  fixed5: 'fixed 5 s (Activepieces)',
  fixed20: 'fixed 20 s (Postiz)',
  fixed60: 'fixed 60 s (Meta\u2019s advice)',
  seed: '5 s × N, cap 60 s (the seed; polling: seed)',
  growth: '5 s × 1.5ⁿ, cap 60 s (Post for Me)',
};

async function measureKind(kind: BenchKind): Promise<Record<Row, Figures>> {
  // one account makes every container: the 400-a-day cap is lifted, nothing else changes
  const scenario = { seed: SEED, pollFloorMs: UNIT_MS, containerCap: 1_000_000, processing: { imageMs: MIX.image, videoMs: MIX.video } };
  const plain = async (timing: Timing) => figuresOf(await runContainers(kind, MEASURED, timing, scenario));
  const learning = async (warmUp: number): Promise<Figures> => {
    const history = new PollHistory();
    const timing = adaptiveTiming({ unitMs: UNIT_MS, history });
    if (warmUp > 0) await runContainers(kind, warmUp, timing, { ...scenario, seed: SEED + 1 }, history);
    const figures = figuresOf(await runContainers(kind, MEASURED, timing, scenario, history));
    const fit = history.learned(DEFAULT_ACCOUNT.igUserId, kind);
    if (fit === undefined) return figures;
    const chosen = learnedPlan(fit, { unitMs: UNIT_MS, limitMs: DEFAULT_PROCESSING_DEADLINE_MS[kind] });
    return { ...figures, learned: `learned median ${s(Math.exp(fit.mu))}, σ ${fmt(fit.sigma, 2)} (last ${fit.n}); a read worth ${s(chosen.readWorthMs)}` };
  };
  const best = choosePlan(trueMix(kind), { unitMs: UNIT_MS, horizonMs: HORIZON_MS[kind] });
  // every schedule on its own simulator and clock, side by side: they share nothing but the seed
  const [warm, cold, oracleRun, f5, f20, f60, seedRun, growthRun] = await Promise.all([
    learning(WARM_UP),
    learning(0),
    plain(oracle(best.plan, HORIZON_MS[kind])).then((figures) => ({ ...figures, learned: `a read worth ${s(best.readWorthMs)}` })),
    plain(fixed5),
    plain(fixed20),
    plain(fixed60),
    plain(seed),
    plain(growth),
  ]);
  const result: Record<Row, Figures> = { warm, cold, oracle: oracleRun, fixed5: f5, fixed20: f20, fixed60: f60, seed: seedRun, growth: growthRun };
  const drawn = JSON.stringify(result.seed.processing);
  for (const [row, figures] of Object.entries(result)) if (JSON.stringify(figures.processing) !== drawn) throw new Error(`${row} saw other processing times than the seed's run`);
  return result;
}

console.log(`# polling: ${fmt(MEASURED)} containers per kind, one after another, real container machine against the simulator on a VirtualClock`);
console.log(`# mix: lognormal, images median ${s(MIX.image.medianMs)} σ ${MIX.image.sigma}, videos median ${s(MIX.video.medianMs)} σ ${MIX.video.sigma}; seed ${SEED}; unit ${s(UNIT_MS)}`);
const summary: SummaryRow[] = [];
const started = performance.now();
for (const kind of ['image', 'video'] as const) {
  const seen = await measureKind(kind);
  const sample = [...seen.seed.processing].sort((a, b) => a - b);
  printTable(
    `${kind}: ${fmt(MEASURED)} containers, processing median ${s(sample[sample.length >> 1]!)}, p95 ${s(sample[Math.ceil(0.95 * sample.length) - 1]!)}`,
    ['schedule', 'reads/container', 'mean lag', 'p95 lag', 'reads < 5 s apart', 'igflow chose'],
    (Object.keys(LABELS) as Row[]).map((row) => [LABELS[row], r(seen[row].reads), s(seen[row].lagMs), s(seen[row].p95Ms), seen[row].tooFast, seen[row].learned ?? '']),
  );
  const points = frontier(trueMix(kind), UNIT_MS, HORIZON_MS[kind], [1_000, 2_000, 3_000, 4_000, 6_000, 8_000, 10_000, 20_000]);
  printTable(`${kind}: the reads–lag frontier, exact on the true mix (optimal plans, reads ≥ 5 s apart)`, ['a read is worth', 'reads/container', 'mean lag'], points.map((p) => [s(p.readWorthMs), r(p.reads), s(p.lagMs)]));

  const mine = seen.warm;
  const against = (other: Row) => {
    const them = seen[other];
    const met = mine.reads <= them.reads && mine.lagMs <= them.lagMs;
    return { bench: 'polling', figure: `${kind}: igflow vs ${LABELS[other]}, reads and mean lag`, value: `${r(mine.reads)} vs ${r(them.reads)} reads, ${s(mine.lagMs)} vs ${s(them.lagMs)}`, target: '≤ on both', met };
  };
  const rows: SummaryRow[] = [against('fixed20'), against('seed')];
  // both peers at once: the fewest reads of the two and the least lag of the two
  const jointReads = Math.min(seen.fixed20.reads, seen.seed.reads);
  const jointLag = Math.min(seen.fixed20.lagMs, seen.seed.lagMs);
  if (!(rows[0]!.met === true && rows[1]!.met === true)) {
    const needed = minReadsAtLag(trueMix(kind), UNIT_MS, HORIZON_MS[kind], jointLag);
    const feasible = needed <= jointReads;
    rows.push({ bench: 'polling', figure: `${kind}: ≤ fixed 20 s and ≤ 5 s × N at once (≤ ${r(jointReads)} reads, ≤ ${s(jointLag)})`, value: feasible ? 'feasible, not reached' : `infeasible: every schedule needs ≥ ${r(needed)} reads at ≤ ${s(jointLag)}`, target: 'both', met: false, infeasible: !feasible });
  }
  const lagLimit = seen.fixed5.lagMs + 1_000;
  const readLimit = seen.fixed5.reads / 2;
  const fastMet = mine.lagMs <= lagLimit && mine.reads <= readLimit;
  const fastNeeded = minReadsAtLag(trueMix(kind), UNIT_MS, HORIZON_MS[kind], lagLimit);
  rows.push({
    bench: 'polling',
    figure: `${kind}: igflow vs fixed 5 s: lag ≤ ${s(lagLimit)}, reads ≤ ${r(readLimit)}`,
    value: `${s(mine.lagMs)}, ${r(mine.reads)} reads${fastMet ? '' : fastNeeded > readLimit ? `; infeasible: every schedule needs ≥ ${r(fastNeeded)} reads at ≤ ${s(lagLimit)}` : '; feasible, not reached'}`,
    target: 'lag ≤ +1 s, reads ≤ ½',
    met: fastMet,
    infeasible: !fastMet && fastNeeded > readLimit,
  });
  const coldOk = seen.cold.reads <= seen.seed.reads && seen.cold.lagMs <= seen.seed.lagMs;
  rows.push({ bench: 'polling', figure: `${kind}: igflow cold vs 5 s × N, reads and mean lag`, value: `${r(seen.cold.reads)} vs ${r(seen.seed.reads)} reads, ${s(seen.cold.lagMs)} vs ${s(seen.seed.lagMs)}`, target: '≤ on both', met: coldOk });
  const tooFast = (Object.keys(LABELS) as Row[]).reduce((sum, row) => sum + seen[row].tooFast, 0);
  rows.push({ bench: 'polling', figure: `${kind}: reads of a container < 5 s apart, every schedule`, value: String(tooFast), target: '0', met: tooFast === 0 });
  summary.push(...rows);
}
console.log(`\n(${fmt((performance.now() - started) / 1_000, 1)} s of real time)`);
printTable('polling targets', ['figure', 'value', 'target', 'verdict'], summary.map((row) => [row.figure, row.value, row.target, row.met === true ? 'met' : row.infeasible === true ? 'MISSED (infeasible)' : 'MISSED']));
await reportSummary(summary);
