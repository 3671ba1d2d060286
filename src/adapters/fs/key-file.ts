import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { quoted } from '../printable.js';
import { StoreError } from '../store-errors.js';
import { errno } from './errno.js';

/**
 * What `keys/<sha256(key)>` holds: the key (for humans), the post holding
 * it, and, until the post file is known to exist, the post's first
 * envelope, so that anyone who finds the key can finish a create that
 * crashed between claiming the key and writing the post.
 */
export const KeyRecord = z.object({
  key: z.string(),
  postId: z.string().min(1),
  post: z.unknown().optional(),
});
/** See {@link KeyRecord}. */
export type KeyRecord = z.infer<typeof KeyRecord>;

/** The text of a key file. */
export function keyFileText(record: KeyRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** Reads a key file; undefined when the key is free. A damaged file is a `corrupt` {@link StoreError}. */
export async function readKeyFile(path: string, key: string): Promise<KeyRecord | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errno(error) === 'ENOENT') return undefined;
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const parsed = KeyRecord.safeParse(raw);
  if (!parsed.success || parsed.data.key !== key) {
    throw new StoreError('corrupt', parsed.success ? parsed.data.postId : '', `the index entry of idempotency key ${quoted(key)} (${path}) is corrupt`);
  }
  return parsed.data;
}
