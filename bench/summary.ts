import { readFile, writeFile } from 'node:fs/promises';

/** One headline figure of a benchmark, for the summary `bench/index.ts` prints at the end. */
export interface SummaryRow {
  readonly bench: string;
  readonly figure: string;
  readonly value: string;
  /** The target, as text (`≤ 1.5×`), or `-` when there is none. */
  readonly target: string;
  /** Whether the target is met; undefined when there is none. */
  readonly met: boolean | undefined;
  /** A missed target that no design can meet (the value says why, with numbers). */
  readonly infeasible?: boolean;
}

/** The environment variable naming the file a benchmark writes its summary rows to. */
export const SUMMARY_ENV = 'IGFLOW_BENCH_SUMMARY';

/** Writes a benchmark's summary rows where `bench/index.ts` asked for them (nothing when run alone). */
export async function reportSummary(rows: readonly SummaryRow[]): Promise<void> {
  const path = process.env[SUMMARY_ENV];
  if (path !== undefined && path !== '') await writeFile(path, JSON.stringify(rows));
}

/** Reads the summary rows a benchmark wrote; none when it wrote nothing. */
export async function readSummary(path: string): Promise<SummaryRow[]> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as SummaryRow[];
  } catch {
    return [];
  }
}
