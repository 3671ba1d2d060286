import { jsonDamage } from '../json-damage.js';
import { DamagedPostError, parseEnvelope, StoreError, type PostEnvelope } from '../store.js';
import { readMs, storedMs } from './epoch-ms.js';

/** A `bigint` column as node-postgres hands it over: a string by default, a number or bigint with custom type parsers. */
type Int8 = string | number | bigint;

/** One row of `posts` as the store selects it (store-sql.ts: jsonb columns as text). */
export interface PostRow {
  readonly post_id: string;
  readonly idempotency_key: string | null;
  readonly account: string;
  readonly machine: string;
  readonly status: string;
  readonly state: string;
  readonly snapshot: string | null;
  readonly wake_at: Int8 | null;
  readonly lease_owner: string | null;
  readonly lease_until: Int8 | null;
  readonly version: number | string;
  readonly created_at: Int8;
  readonly updated_at: Int8;
  readonly result: string | null;
  readonly envelope_version: number | string;
  readonly wait_reason: string | null;
  readonly spec_hash: string | null;
}

/** A jsonb column's text, parsed; undefined for SQL NULL. A failure names the post by `key` and never quotes the text. */
function fromJson(postId: string, key: string | undefined, column: string, text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DamagedPostError('corrupt', postId, `is corrupt: its ${column} column ${jsonDamage(text, error)}`, key);
  }
}

/** A value for a jsonb parameter: JSON text (node-postgres would turn an array into a Postgres array), or NULL. */
function toJson(postId: string, field: string, value: unknown): string | null {
  if (value === undefined) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new StoreError('corrupt', postId, `refusing to store post ${postId}: its ${field} is not JSON (${(error as Error).message})`);
  }
  return text ?? null;
}

/**
 * The envelope a row holds, validated like every adapter's reads
 * (parseEnvelope): an unknown `envelope_version` or a value of the wrong
 * shape throws a {@link DamagedPostError} (`unknown-version`, `corrupt`) for
 * that post alone, naming it by its key column. NULL columns are absent
 * fields; a lease needs both of its columns.
 */
export function envelopeFromRow(row: PostRow): PostEnvelope {
  const postId = row.post_id;
  const key = row.idempotency_key ?? undefined;
  const raw: Record<string, unknown> = {
    v: Number(row.envelope_version),
    postId,
    account: row.account,
    machine: row.machine,
    status: row.status,
    state: row.state,
    version: Number(row.version),
    createdAt: readMs(row.created_at),
    updatedAt: readMs(row.updated_at),
  };
  if (row.idempotency_key !== null) raw.key = row.idempotency_key;
  if (row.snapshot !== null) raw.snapshot = fromJson(postId, key, 'snapshot', row.snapshot);
  if (row.wake_at !== null) raw.wakeAt = readMs(row.wake_at);
  if (row.lease_owner !== null || row.lease_until !== null) raw.lease = { owner: row.lease_owner, until: readMs(row.lease_until) };
  if (row.result !== null) raw.result = fromJson(postId, key, 'result', row.result);
  if (row.wait_reason !== null) raw.waitReason = row.wait_reason;
  if (row.spec_hash !== null) raw.specHash = row.spec_hash;
  return parseEnvelope(postId, raw, key);
}

/** The columns every write sets, in statement order ($3..$17 of store-sql.ts's insert and update). */
function contentValues(post: PostEnvelope): unknown[] {
  return [
    post.account,
    post.machine,
    post.status,
    post.state,
    toJson(post.postId, 'snapshot', post.snapshot),
    storedMs(post.wakeAt),
    post.lease?.owner ?? null,
    storedMs(post.lease?.until),
    post.version,
    storedMs(post.createdAt),
    storedMs(post.updatedAt),
    toJson(post.postId, 'result', post.result),
    post.v,
    post.waitReason ?? null,
    post.specHash ?? null,
  ];
}

/** Parameters $1..$17 of the insert statement for a validated envelope. */
export function insertValues(post: PostEnvelope): unknown[] {
  return [post.postId, post.key ?? null, ...contentValues(post)];
}

/** Parameters $1..$15 of the compare-and-set update: the post id, the expected version, then the content (the key is never rewritten). */
export function updateValues(post: PostEnvelope, expectedVersion: number): unknown[] {
  return [post.postId, expectedVersion, ...contentValues(post)];
}
