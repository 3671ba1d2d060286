import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readSummary, SUMMARY_ENV, type SummaryRow } from './summary.js';
import { tempDir } from './temp-dir.js';

/** How a benchmark process ended, and the summary rows it reported. */
export interface BenchOutcome {
  readonly exitCode: number;
  readonly rows: readonly SummaryRow[];
}

/**
 * Runs `bench/<name>.ts` in its own process (`node --expose-gc --import tsx`),
 * its output going straight to ours, and collects its summary rows. Each
 * benchmark gets a fresh heap, and `--expose-gc` lets it force collections.
 */
export async function spawnBench(name: string): Promise<BenchOutcome> {
  const file = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const temp = await tempDir('summary');
  const summary = `${temp.dir}/summary.json`;
  try {
    const exitCode = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', file], {
        stdio: 'inherit',
        env: { ...process.env, [SUMMARY_ENV]: summary },
      });
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal === null ? 1 : 128)));
    });
    return { exitCode, rows: await readSummary(summary) };
  } finally {
    await temp.remove();
  }
}
