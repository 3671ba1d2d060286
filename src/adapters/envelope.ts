import { z } from 'zod';
import { PostOutcome } from '../machines/outcome.js';
import { WaitReason } from '../machines/progress.js';
import { DamagedPostError } from './store-errors.js';

/**
 * A stored post: the versioned envelope every adapter keeps, validated with
 * zod on every read. The XState persisted snapshot, plus what the engine
 * and the views need to find and show the post without restoring it.
 */

/** The envelope format this code writes. An unknown `v` is refused, never misread. */
export const ENVELOPE_VERSION = 2;

/** Which machine a post runs. */
export const MachineKind = z.enum(['post', 'stories']);
/** See {@link MachineKind}. */
export type MachineKind = z.infer<typeof MachineKind>;

/** Whether a post still has work to do. */
export const PostStatus = z.enum(['active', 'published', 'failed', 'cancelled']);
/** See {@link PostStatus}. */
export type PostStatus = z.infer<typeof PostStatus>;

/**
 * A worker's claim on a post until `until` (epoch ms). `token` is new for
 * every claim: each write of a claimed post is checked against it, so a
 * worker whose claim passed to another is refused.
 */
export const Lease = z.object({ owner: z.string().min(1), token: z.string().min(1), until: z.number() });
/** See {@link Lease}. */
export type Lease = z.infer<typeof Lease>;

/** The envelope (docs/design.md#the-stored-envelope), as every adapter stores and returns it. */
export const PostEnvelope = z.object({
  v: z.literal(ENVELOPE_VERSION),
  postId: z.string().min(1),
  /** The caller's idempotency key (`id` in the spec), when given. */
  key: z.string().min(1).optional(),
  /** The Instagram account (IG user id) the post belongs to. */
  account: z.string().min(1),
  machine: MachineKind,
  status: PostStatus,
  /** Where the post is, in one word, as its machine last said (`polling`, `waitingQuota`…). */
  state: z.string(),
  /** The validated spec the post was made from (for views and listings; the machine runs from its plan). */
  spec: z.unknown().optional(),
  /** XState's persisted snapshot; undefined once a finished post is compacted. */
  snapshot: z.unknown().optional(),
  /** When a parked post is due to wake (epoch ms); undefined when it is ready now or finished. */
  wakeAt: z.number().optional(),
  /** Why a parked post waits: a resume re-checks the quota and tries a new token at once, and sleeps out the rest. */
  waitReason: WaitReason.optional(),
  /** When the post goes live (epoch ms): its spec's `publishAt`, or where a reschedule moved it; undefined: at once. */
  publishAt: z.number().optional(),
  /**
   * When the checkpoint before the post's first `media_publish` was stored
   * (epoch ms): from then on a publish may be on its way, so a cancel or a
   * reschedule is too late. Never cleared.
   */
  publishingSince: z.number().optional(),
  /** A hash of the spec (and account): the same idempotency key with other content is refused. */
  specHash: z.string().min(1).optional(),
  /** Bumped by every write of the post's content (never by lease renewals). */
  version: z.number().int().nonnegative(),
  createdAt: z.number(),
  updatedAt: z.number(),
  /** How a finished post ended. */
  result: PostOutcome.optional(),
  /** Who works on the post now, as the store knows it. */
  lease: Lease.optional(),
});
/** See {@link PostEnvelope}. */
export type PostEnvelope = z.infer<typeof PostEnvelope>;

/** What `create` takes: an envelope before the store gave it a version or a lease. */
export type NewPost = Omit<PostEnvelope, 'v' | 'version' | 'lease'>;

/** What a worker changes when it writes a post it holds: its progress, never its identity. */
export type PostChanges = Partial<Pick<PostEnvelope, 'state' | 'snapshot' | 'wakeAt' | 'waitReason' | 'status' | 'result' | 'updatedAt' | 'publishingSince'>>;

/** A stored `v` in words, without quoting anything but a plain integer. */
function describeVersion(v: unknown): string {
  if (v === undefined) return 'none';
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return `a ${v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v}, not a version number`;
}

/**
 * Validates a raw stored value as an envelope: an unknown `v` and a value of
 * the wrong shape become distinct, clear {@link DamagedPostError}s for that
 * post alone (naming it by `key` when given), which say where the value is
 * wrong without quoting it.
 */
export function parseEnvelope(postId: string, raw: unknown, key?: string): PostEnvelope {
  const isObject = typeof raw === 'object' && raw !== null && !Array.isArray(raw);
  const v = isObject ? (raw as { v?: unknown }).v : undefined;
  if (!isObject) throw new DamagedPostError('corrupt', postId, `is corrupt: it holds a JSON ${raw === null ? 'null' : Array.isArray(raw) ? 'list' : typeof raw}, not an envelope`, key);
  if (v !== ENVELOPE_VERSION) {
    throw new DamagedPostError('unknown-version', postId, `has an unknown envelope version (${describeVersion(v)}); this igflow reads version ${ENVELOPE_VERSION}`, key);
  }
  const parsed = PostEnvelope.safeParse(raw);
  if (!parsed.success) {
    // zod's messages name the expected type or values, never the value found
    const where = parsed.error.issues.map((i) => `at ${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new DamagedPostError('corrupt', postId, `is corrupt: the wrong shape ${where}`, key);
  }
  return parsed.data;
}
