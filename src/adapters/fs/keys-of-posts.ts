import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KeyRecord } from './key-file.js';

/** A keyed post's id: `k-` and the first 32 hex digits of sha256(key) (engine/post-id.ts). */
const KEYED_POST_ID = /^k-([0-9a-f]{32})$/;
/** A key index file's name: the full sha256 of the key in hex. */
const KEY_FILE_NAME = /^[0-9a-f]{64}$/;

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The key a key index file holds for `postId`, when the file is sound, names that post, and is the file of that key (its name is the key's hash). */
async function keyIn(path: string, name: string, postId: string): Promise<string | undefined> {
  try {
    const record = KeyRecord.safeParse(JSON.parse(await readFile(path, 'utf8')));
    return record.success && record.data.postId === postId && sha256(record.data.key) === name ? record.data.key : undefined;
  } catch {
    return undefined; // unreadable too: the post stays named by its id
  }
}

/**
 * The idempotency keys of posts that cannot be read, found without reading
 * their post files: a keyed post's id is `k-` + the first 32 hex digits of
 * sha256(key), and `keysDir` holds one file per key named by its full
 * sha256, holding `{ key, postId }`. One directory listing, then a read of
 * each file whose name matches a wanted id. Posts whose key cannot be found
 * this way (ids not derived from a key, a missing or damaged index entry)
 * are left out. Best effort: never throws.
 */
export async function keysOfPosts(keysDir: string, postIds: readonly string[]): Promise<Map<string, string>> {
  const wanted = new Map<string, string>();
  for (const postId of postIds) {
    const prefix = KEYED_POST_ID.exec(postId)?.[1];
    if (prefix !== undefined) wanted.set(prefix, postId);
  }
  const keys = new Map<string, string>();
  if (wanted.size === 0) return keys;
  const names = await readdir(keysDir).catch((): string[] => []);
  for (const name of names) {
    const postId = KEY_FILE_NAME.test(name) ? wanted.get(name.slice(0, 32)) : undefined;
    if (postId === undefined || keys.has(postId)) continue;
    const key = await keyIn(join(keysDir, name), name, postId);
    if (key !== undefined) keys.set(postId, key);
  }
  return keys;
}
