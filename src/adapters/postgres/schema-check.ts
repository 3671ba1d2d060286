import type { Pool, PoolClient } from 'pg';
import { quoted } from '../printable.js';
import { StoreError } from '../store-errors.js';
import { quoteIdentifier } from './identifiers.js';
import { postgresMigrations, type Migration } from './migrations.js';

/**
 * The schema a store opened with `create: false` was given does not exist
 * (kind `io`): nothing was created. `igflow status` reports it in one line.
 */
export class MissingSchemaError extends StoreError {
  override readonly name = 'MissingSchemaError';
  constructor(readonly schema: string) {
    super('io', '', `schema ${quoted(schema)} does not exist (the store was opened without creating anything)`);
  }
}

/** The StoreError for a schema migrated by a newer igflow (versions this one does not know), or undefined. */
export function newerSchemaError(schema: string, applied: ReadonlySet<number>, migrations: readonly Migration[]): StoreError | undefined {
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const newer = [...applied].filter((v) => v > known);
  if (newer.length === 0) return undefined;
  return new StoreError('io', '', `schema ${quoted(schema)} was migrated to version ${Math.max(...newer)} by a newer igflow; this one knows versions up to ${known}: upgrade igflow`);
}

/**
 * Checks, reading only (no lock, nothing created), that `schema` holds an
 * igflow store with exactly the migrations this igflow knows: throws
 * {@link MissingSchemaError} when the schema does not exist, and a
 * StoreError of kind `io` when it holds no igflow store, lacks migrations
 * (run `igflow publish`, `resume` or `work` once, or open the store with
 * `create: true`), or was migrated by a newer igflow.
 */
export async function assertMigrated(db: Pool | PoolClient, schema: string, migrations: readonly Migration[] = postgresMigrations(schema)): Promise<void> {
  const { rows: schemas } = await db.query('SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1', [schema]);
  if (schemas.length === 0) throw new MissingSchemaError(schema);
  const { rows: tables } = await db.query<{ found: string | null }>(`SELECT to_regclass(format('%I.schema_migrations', $1::text))::text AS found`, [schema]);
  if (!tables[0]?.found) throw new StoreError('io', '', `schema ${quoted(schema)} holds no igflow store (it has no schema_migrations table)`);
  const { rows } = await db.query<{ version: number }>(`SELECT version FROM ${quoteIdentifier(schema)}.schema_migrations`);
  const applied = new Set(rows.map((r) => Number(r.version)));
  const newer = newerSchemaError(schema, applied, migrations);
  if (newer) throw newer;
  const missing = migrations.filter((m) => !applied.has(m.version)).map((m) => m.version);
  if (missing.length > 0) {
    throw new StoreError('io', '', `schema ${quoted(schema)} lacks migration${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of this igflow, and the store was opened without migrating: run igflow publish, resume or work once to migrate it`);
  }
}
