/**
 * The PostgreSQL side of the worker benchmark: the database, a fresh schema
 * per run, and the server's own count of the time it spent on statements.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The benchmark database (trust auth): IGFLOW_BENCH_PG, else the test database. */
export const PG_URL = process.env.IGFLOW_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name no other run uses. */
export function freshSchema(label: string): string {
  return `igflow_bench_${label}_${randomBytes(4).toString('hex')}`;
}

/** The `--store` URL of `igflow work` for a schema (open-store.ts reads `?schema=`). */
export function storeUrl(schema: string): string {
  const url = new URL(PG_URL);
  url.searchParams.set('schema', schema);
  return url.toString();
}

/** What PostgreSQL counted for the database so far (pg_stat_database). */
export interface DbActivity {
  /** Time backends spent executing statements, ms (summed over backends: it can exceed the wall time). */
  readonly activeMs: number;
  /** Transactions committed. */
  readonly commits: number;
}

/** The bench's own connections: dropping schemas and reading statistics. */
export interface PgAdmin {
  dropSchema(schema: string): Promise<void>;
  /** The database's activity so far; a backend adds its share when idle (at most once a second) and when it disconnects. */
  activity(): Promise<DbActivity>;
  close(): Promise<void>;
}

/** Opens the admin pool, failing at once (with the URL) when PostgreSQL cannot be reached. */
export async function pgAdmin(): Promise<PgAdmin> {
  const pool = new pg.Pool({ connectionString: PG_URL, max: 2, connectionTimeoutMillis: 5_000 });
  pool.on('error', () => undefined);
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end();
    throw new Error(`PostgreSQL is not reachable at ${PG_URL} (${error instanceof Error ? error.message : String(error)}); set IGFLOW_BENCH_PG`);
  }
  return {
    async dropSchema(schema) {
      await pool.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    },
    async activity() {
      const { rows } = await pool.query<{ active_time: number | null; xact_commit: string }>(
        'SELECT active_time, xact_commit FROM pg_stat_database WHERE datname = current_database()',
      );
      const row = rows[0];
      return { activeMs: Number(row?.active_time ?? 0), commits: Number(row?.xact_commit ?? 0) };
    },
    close: () => pool.end(),
  };
}
