import type { Pool } from 'pg';
import type { StoredEnvelopeOptions } from '../stored-envelope.js';
import type { StoreSql } from './store-sql.js';

/** What the PostgreSQL store's posts, work queue and ledger share. */
export interface PgContext {
  readonly pool: Pool;
  /** The schema holding the store's tables. */
  readonly schema: string;
  readonly sql: StoreSql;
  /** The LISTEN/NOTIFY channel that wakes idle workers. */
  readonly channel: string;
  /** The LISTEN/NOTIFY channel that tells every worker of a raised brake. */
  readonly brakeChannel: string;
  /** The channel on which the outbox trigger announces new entries (outcome-channel.ts). */
  readonly outcomeChannel: string;
  /** Whether finished posts lose their snapshot. */
  readonly compact: StoredEnvelopeOptions;
  /** The passwords every error message is cleaned of. */
  readonly secrets: readonly string[];
  /**
   * One store operation: refused once the store is closed, run after the
   * migrations (or their check), any failure a StoreError with passwords
   * blanked out, saying what it was `doing` and naming `postId`.
   */
  readonly run: <T>(postId: string, doing: string, work: () => Promise<T>) => Promise<T>;
}
