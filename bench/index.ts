/**
 * `npm run bench`: runs the benchmarks in order, each in its own node
 * process with `--expose-gc`, then prints a summary of their headline
 * figures against the targets. `npm run bench -- heap resume` runs only
 * the named ones. Knobs: BENCH_ROUNDS (default 3), BENCH_SCALE (default 1).
 *
 * Every figure is measured side by side within one run (variants
 * interleaved, rounds rotated, medians reported): this machine is noisy,
 * so absolute times are secondary to the ratios.
 */
import { spawnBench } from './spawn-bench.js';
import type { SummaryRow } from './summary.js';
import { printTable } from './table.js';

/** The benchmarks, in the order they run. */
const BENCHMARKS = ['throughput', 'heap', 'resume', 'workers', 'polling', 'upload', 'file-reads'] as const;

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(BENCHMARKS as readonly string[]).includes(name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHMARKS.join(', ')}`);
  process.exit(2);
}
const selected = asked.length === 0 ? BENCHMARKS : BENCHMARKS.filter((name) => asked.includes(name));

const rows: SummaryRow[] = [];
const failed: string[] = [];
const started = performance.now();
for (const name of selected) {
  console.log(`\n======== ${name} ========`);
  const outcome = await spawnBench(name);
  if (outcome.exitCode !== 0) failed.push(`${name} (exit ${outcome.exitCode})`);
  rows.push(...outcome.rows);
}

const verdict = (row: SummaryRow) => (row.met === undefined ? '' : row.met ? 'met' : row.infeasible === true ? 'MISSED (infeasible)' : 'MISSED');
printTable(
  `======== summary (${((performance.now() - started) / 1000).toFixed(0)} s) ========`,
  ['bench', 'figure', 'value', 'target', 'verdict'],
  rows.map((row) => [row.bench, row.figure, row.value, row.target, verdict(row)]),
);
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
