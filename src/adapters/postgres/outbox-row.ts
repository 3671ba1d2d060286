import { PostStatus } from '../envelope.js';
import { PostOutcome } from '../../machines/outcome.js';
import type { OutboxEntry } from '../store.js';

/** An outbox row as outbox-sql.ts reads it. */
export interface EntryRow {
  readonly seq: string | number;
  readonly post_id: string;
  readonly idempotency_key: string | null;
  readonly account: string;
  readonly status: string;
  readonly result: string | null;
  readonly at: string | number;
  readonly attempts: number;
}


const FinishedStatus = PostStatus.exclude(['active']);

/** The entry a row holds; undefined for a row this igflow cannot read (passed over, never misread). */
export function entryOfRow(row: EntryRow): OutboxEntry | undefined {
  const status = FinishedStatus.safeParse(row.status);
  if (!status.success) return undefined;
  let result: PostOutcome | undefined;
  if (row.result !== null) {
    const parsed = PostOutcome.safeParse(JSON.parse(row.result));
    if (!parsed.success) return undefined;
    result = parsed.data;
  }
  return {
    id: String(row.seq),
    postId: row.post_id,
    ...(row.idempotency_key === null ? {} : { key: row.idempotency_key }),
    account: row.account,
    status: status.data,
    ...(result === undefined ? {} : { result }),
    at: Number(row.at),
  };
}
