import { ENVELOPE_VERSION, PostEnvelope, type NewPost } from './envelope.js';
import { StoreError } from './store-errors.js';

/** Options of {@link storedEnvelope}. */
export interface StoredEnvelopeOptions {
  /** Drop the snapshot of a finished (`published` or `failed`) post. */
  readonly compactFinished: boolean;
}

/**
 * The envelope an adapter writes for `post` at `version`: validated with the
 * same zod schema that reads it back (so a store never writes what it could
 * not read), with unknown fields stripped, and compacted when asked.
 * Throws a {@link StoreError} of kind `corrupt` for an invalid envelope.
 */
export function storedEnvelope(post: NewPost | PostEnvelope, version: number, options: StoredEnvelopeOptions): PostEnvelope {
  const parsed = PostEnvelope.safeParse({ ...post, v: ENVELOPE_VERSION, version });
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new StoreError('corrupt', post.postId, `refusing to store an invalid envelope for post ${post.postId} (${where})`);
  }
  const envelope = parsed.data;
  if (options.compactFinished && envelope.status !== 'active') delete envelope.snapshot;
  return envelope;
}
