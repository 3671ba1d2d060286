import type { Pool, PoolClient } from 'pg';
import { checkOut } from './checked-out.js';

/**
 * Runs `work` in a READ COMMITTED transaction on one connection of `pool`
 * (set explicitly: the store's locking is designed for it, whatever the
 * server's default). Commits when `work` resolves, rolls back when it
 * throws. A connection that failed while checked out (the server went away:
 * the error rejects the query under way, and comes as an 'error' event that
 * must not crash the process) or whose rollback failed is discarded, not
 * given back to the pool.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const connection = await checkOut(pool);
  const { client } = connection;
  try {
    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    if (connection.failure() === undefined) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => connection.fail(rollbackError));
    }
    throw error;
  } finally {
    connection.release();
  }
}
