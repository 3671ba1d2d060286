import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { quoteIdentifier } from './identifiers.js';
import { postgresMigrations, type Migration } from './migrations.js';
import { newerSchemaError } from './schema-check.js';
import { inTransaction } from './transaction.js';

/** The first key of igflow's advisory locks (the second one names the schema). */
const LOCK_CLASS = 0x1961f10;

/** The advisory-lock key of `schema`'s migrations: the same in every process. */
function schemaLockKey(schema: string): number {
  return createHash('sha256').update(`igflow-migrations:${schema}`).digest().readInt32BE(0);
}

/** Creates `schema` and its `schema_migrations` table when missing, and returns the versions already applied. */
async function appliedVersions(client: PoolClient, schema: string): Promise<Set<number>> {
  const s = quoteIdentifier(schema);
  // Checked first: CREATE … IF NOT EXISTS needs the CREATE privilege even when the object exists.
  const { rows: schemas } = await client.query('SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1', [schema]);
  if (schemas.length === 0) await client.query(`CREATE SCHEMA ${s}`);
  const { rows: tables } = await client.query<{ found: string | null }>(`SELECT to_regclass(format('%I.schema_migrations', $1::text))::text AS found`, [schema]);
  if (!tables[0]?.found) {
    await client.query(`CREATE TABLE ${s}.schema_migrations (
      version    integer     PRIMARY KEY,
      name       text        NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  }
  const { rows } = await client.query<{ version: number }>(`SELECT version FROM ${s}.schema_migrations`);
  return new Set(rows.map((r) => Number(r.version)));
}

/**
 * Brings `schema` up to date: creates it if needed and applies, in order,
 * every migration not yet recorded in `<schema>.schema_migrations`, all in
 * one transaction holding a transaction-level advisory lock on the schema,
 * so processes starting at once apply each migration exactly once (the
 * others wait, then find nothing left to do). Refuses, with a StoreError of
 * kind `io`, a schema migrated by a newer igflow. Returns the versions it applied.
 */
export function migrate(pool: Pool, schema: string, migrations: readonly Migration[] = postgresMigrations(schema)): Promise<readonly number[]> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, schemaLockKey(schema)]);
    const applied = await appliedVersions(client, schema);
    const newer = newerSchemaError(schema, applied, migrations);
    if (newer) throw newer;
    const done: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements) await client.query(statement);
      await client.query(`INSERT INTO ${quoteIdentifier(schema)}.schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      done.push(migration.version);
    }
    return done;
  });
}
