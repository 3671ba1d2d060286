import { quoted } from './printable.js';

/** Why a stored post could not be used. */
export type StoreErrorKind = 'corrupt' | 'unknown-version' | 'stale-write' | 'io';

/** A persistence failure about one post; the store and other posts carry on. */
export class StoreError extends Error {
  override readonly name: string = 'StoreError';
  constructor(
    readonly kind: StoreErrorKind,
    readonly postId: string,
    message: string,
  ) {
    super(message);
  }
}

/** How messages name a post: `post "<key>" (<postId>)` when its key is known, else `post <postId>`; the key is quoted safely for a terminal. */
export function postName(postId: string, key?: string): string {
  return key === undefined ? `post ${postId}` : `post ${quoted(key)} (${postId})`;
}

/**
 * A stored post that cannot be read: `corrupt` (truncated, not JSON, the
 * wrong shape) or of an `unknown-version` envelope. The message says what
 * the damage is and where, never quoting the stored bytes (they may hold
 * anything, terminal escape sequences included).
 */
export class DamagedPostError extends StoreError {
  override readonly name = 'DamagedPostError';
  constructor(
    override readonly kind: 'corrupt' | 'unknown-version',
    postId: string,
    /** What is wrong, as the end of a sentence about the post: `is truncated (…)`. */
    readonly damage: string,
    /** The post's idempotency key, when known. */
    readonly key?: string,
  ) {
    super(kind, postId, `${postName(postId, key)} ${damage}`);
  }

  /** The same damage, naming the post by its idempotency key too. */
  withKey(key: string): DamagedPostError {
    return new DamagedPostError(this.kind, this.postId, this.damage, key);
  }
}

/** A compare-and-set write whose expected version was not the stored one. */
export class StaleWriteError extends StoreError {
  override readonly name = 'StaleWriteError';
  constructor(
    postId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number | undefined,
  ) {
    super('stale-write', postId, `stale write to post ${postId}: expected version ${expectedVersion}, stored ${actualVersion ?? 'none'}`);
  }
}


/**
 * A write of a claimed post refused because the claim is no longer this
 * writer's: another worker holds the post now (its lease token differs), or
 * the post changed under it (its version moved). The writer must stop
 * working on the post; nothing it wrote is lost, nothing more is written.
 */
export class LeaseLostError extends StoreError {
  override readonly name = 'LeaseLostError';
  constructor(postId: string, why: string) {
    super('stale-write', postId, `post ${postId} is no longer this worker's: ${why}`);
  }
}
