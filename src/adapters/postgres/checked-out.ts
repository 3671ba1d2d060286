import type { Pool, PoolClient } from 'pg';

/** A connection taken from a pool, watched for failures until it is released. */
export interface CheckedOut {
  readonly client: PoolClient;
  /** The first failure of the connection while checked out (an 'error' event, or one given to {@link fail}); undefined while it is sound. */
  failure(): Error | undefined;
  /** Marks the connection broken (a failed rollback, say), so that {@link release} discards it. */
  fail(error: unknown): void;
  /** Gives the connection back to the pool, or, when it failed, has the pool discard it. Once; later calls do nothing. */
  release(): void;
}

/**
 * Takes a connection from `pool` with an 'error' listener attached for as
 * long as it is checked out. node-postgres emits 'error' on a client whose
 * server goes away (a restart, a terminated backend) even while a query of
 * it is under way; pg-pool listens only on idle clients, so a checked-out
 * client without a listener of its own crashes the process. Every
 * `pool.connect()` of the store goes through here.
 */
export async function checkOut(pool: Pool): Promise<CheckedOut> {
  const client = await pool.connect();
  let failed: Error | undefined;
  let released = false;
  const fail = (error: unknown): void => {
    failed ??= error instanceof Error ? error : new Error(String(error));
  };
  client.on('error', fail);
  return {
    client,
    failure: () => failed,
    fail,
    release() {
      if (released) return;
      released = true;
      // pg-pool puts its own idle listener back in release(), in the same tick: there is no moment without one
      client.off('error', fail);
      client.release(failed);
    },
  };
}
