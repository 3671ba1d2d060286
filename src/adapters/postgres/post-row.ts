import { jsonDamage } from '../json-damage.js';
import { Lease, parseEnvelope, type PostEnvelope } from '../envelope.js';
import { DamagedPostError, StoreError } from '../store-errors.js';
import { readMs, storedMs } from './epoch-ms.js';

/** A `bigint` column as node-postgres hands it over: a string by default, a number or bigint with custom type parsers. */
export type Int8 = string | number | bigint;

/** One row of `posts` as the store selects it (store-sql.ts: jsonb columns as text). */
export interface PostRow {
  readonly post_id: string;
  readonly idempotency_key: string | null;
  readonly account: string;
  readonly machine: string;
  readonly status: string;
  readonly state: string;
  readonly spec: string | null;
  readonly snapshot: string | null;
  readonly wake_at: Int8 | null;
  readonly wait_reason: string | null;
  readonly spec_hash: string | null;
  readonly version: number | string;
  readonly created_at: Int8;
  readonly updated_at: Int8;
  readonly result: string | null;
  readonly envelope_version: number | string;
  readonly publish_at: Int8 | null;
  readonly publishing_since: Int8 | null;
  readonly lease_owner: string | null;
  readonly lease_token: string | null;
  readonly lease_until: Int8 | null;
}

/** The lease columns of a row, as statements that write leases return them. */
export type LeaseColumns = Pick<PostRow, 'post_id' | 'lease_owner' | 'lease_token' | 'lease_until'>;

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
export function toJson(postId: string, field: string, value: unknown): string | null {
  if (value === undefined) return null;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new StoreError('corrupt', postId, `refusing to store post ${postId}: its ${field} is not JSON (${(error as Error).message})`);
  }
  return text ?? null;
}

/** The raw lease of a row's lease columns (validated with the envelope): absent when all three are NULL. */
function rawLease(row: LeaseColumns): Record<string, unknown> | undefined {
  if (row.lease_owner === null && row.lease_token === null && row.lease_until === null) return undefined;
  return { owner: row.lease_owner, token: row.lease_token, until: row.lease_until === null ? null : readMs(row.lease_until) };
}

/**
 * The lease that a lease-writing statement returned for a post whose
 * content the caller already holds validated; a StoreError of kind
 * `corrupt` when the columns do not make a lease.
 */
export function leaseFromRow(row: LeaseColumns): Lease | undefined {
  const raw = rawLease(row);
  if (raw === undefined) return undefined;
  const parsed = Lease.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new DamagedPostError('corrupt', row.post_id, 'is corrupt: its lease columns do not make a lease (owner, token and until go together)');
}

/**
 * The envelope a row holds, validated like every adapter's reads
 * (parseEnvelope): an unknown `envelope_version` or a value of the wrong
 * shape throws a {@link DamagedPostError} (`unknown-version`, `corrupt`) for
 * that post alone, naming it by its key column. NULL columns are absent
 * fields; a lease needs all three of its columns.
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
  if (key !== undefined) raw.key = key;
  if (row.spec !== null) raw.spec = fromJson(postId, key, 'spec', row.spec);
  if (row.snapshot !== null) raw.snapshot = fromJson(postId, key, 'snapshot', row.snapshot);
  if (row.wake_at !== null) raw.wakeAt = readMs(row.wake_at);
  if (row.wait_reason !== null) raw.waitReason = row.wait_reason;
  if (row.spec_hash !== null) raw.specHash = row.spec_hash;
  if (row.result !== null) raw.result = fromJson(postId, key, 'result', row.result);
  if (row.publish_at !== null) raw.publishAt = readMs(row.publish_at);
  if (row.publishing_since !== null) raw.publishingSince = readMs(row.publishing_since);
  const lease = rawLease(row);
  if (lease !== undefined) raw.lease = lease;
  return parseEnvelope(postId, raw, key);
}

/** The content columns, $3..$18 of the insert and of the put (store-sql.ts), in that order: everything but the id, the key and the lease. */
function contentValues(post: PostEnvelope): unknown[] {
  return [
    post.account,
    post.machine,
    post.status,
    post.state,
    toJson(post.postId, 'spec', post.spec),
    toJson(post.postId, 'snapshot', post.snapshot),
    storedMs(post.wakeAt),
    post.waitReason ?? null,
    post.specHash ?? null,
    post.version,
    storedMs(post.createdAt),
    storedMs(post.updatedAt),
    toJson(post.postId, 'result', post.result),
    post.v,
    storedMs(post.publishAt),
    storedMs(post.publishingSince),
  ];
}

/** Parameters $1..$21 of the insert for a validated envelope: id, key, content, lease (owner, token, until). */
export function insertValues(post: PostEnvelope): unknown[] {
  return [post.postId, post.key ?? null, ...contentValues(post), post.lease?.owner ?? null, post.lease?.token ?? null, storedMs(post.lease?.until)];
}

/** Parameters $1..$18 of the compare-and-set put: the post id, the expected version, then the content (never the key or the lease). */
export function putValues(post: PostEnvelope, expectedVersion: number): unknown[] {
  return [post.postId, expectedVersion, ...contentValues(post)];
}
