import type { Pool, PoolClient } from 'pg';

/**
 * Runs `work` in a READ COMMITTED transaction on one connection of `pool`
 * (set explicitly: the store's locking is designed for it, whatever the
 * server's default). Commits when `work` resolves, rolls back when it
 * throws; a connection whose rollback failed is discarded, not reused.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
