import { createHash } from 'node:crypto';

/** What makes two publishes "the same content" (docs/graph-api.md#recovering-the-media-id: match on caption + kind). */
export interface ContentKey {
  readonly account: string;
  readonly kind: string;
  readonly mediaUrls: readonly string[];
  readonly caption: string | undefined;
}

/** A short stable hash of account + kind + media URLs + caption. */
export function fingerprintOf(key: ContentKey): string {
  const text = JSON.stringify([key.account, key.kind, key.mediaUrls, key.caption ?? null]);
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
