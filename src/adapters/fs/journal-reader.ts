import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { errno } from './errno.js';
import { decodeFrames } from './journal-frame.js';
import { journalDamage, parseHeader, parseRecords, type JournalHeader, type JournalRecord } from './journal-records.js';

/** What a reader knows of one journal file written by another store object; see {@link journalReader}. */
export interface JournalReader {
  /** The file's name in the journal directory. */
  readonly name: string;
  /** Who writes it, once its header is read. */
  header(): JournalHeader | undefined;
  /** The newest record of each post the file holds (a damaged record of a post stays, whatever follows). */
  readonly posts: ReadonlyMap<string, JournalRecord>;
  /** The post holding each idempotency key, among the file's records. */
  readonly keys: ReadonlyMap<string, string>;
  /** Whether the file was gone when last read. */
  gone(): boolean;
  /**
   * Reads what was appended since the last call. A torn or incomplete last
   * frame is left for the next call (a write in flight completes it; a
   * killed writer's never does, and it is ignored). Throws
   * {@link journalDamage} for damage in the middle, then on every later call.
   */
  readNew(): Promise<void>;
}

/**
 * A reader of the journal file `name` in `dir`, reading nothing until
 * {@link JournalReader.readNew}. Each read opens the file, reads from where
 * the last one stopped, and closes it, on the calling thread (what is new
 * since the last refresh is a few frames in the page cache): a reader keeps
 * no file open, so a store object nobody closes leaks none.
 */
export function journalReader(dir: string, name: string): JournalReader {
  const path = join(dir, name);
  let header: JournalHeader | undefined;
  /** Where the decoded frames end: bytes after it (a frame still being written, or torn) are read again next time, never kept. */
  let offset = 0;
  let damage: Error | undefined;
  let gone = false;
  const posts = new Map<string, JournalRecord>();
  const keys = new Map<string, string>();

  const take = (record: JournalRecord): void => {
    const known = posts.get(record.postId);
    if (known !== undefined && 'damage' in known) return;
    if (known !== undefined && 'post' in record && 'post' in known && known.post.version > record.post.version) return;
    posts.set(record.postId, record);
    if ('post' in record && record.post.key !== undefined) keys.set(record.post.key, record.postId);
  };

  /** The bytes from `offset` to the end of the file; undefined when the file is gone. */
  const readTail = (): Buffer | undefined => {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      if (errno(error) === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const bytes = Buffer.allocUnsafe(Math.max(0, fstatSync(fd).size - offset));
      let filled = 0;
      while (filled < bytes.length) {
        const read = readSync(fd, bytes, filled, bytes.length - filled, offset + filled);
        if (read === 0) break;
        filled += read;
      }
      return bytes.subarray(0, filled);
    } finally {
      closeSync(fd);
    }
  };

  const read = (): void => {
    const bytes = readTail();
    if (bytes === undefined) {
      gone = true;
      return;
    }
    const decoded = decodeFrames(bytes);
    try {
      for (const payload of decoded.payloads) {
        if (header === undefined) header = parseHeader(name, payload);
        else for (const record of parseRecords(name, payload)) take(record);
      }
    } catch (error) {
      damage = error instanceof Error ? error : new Error(String(error));
      throw damage;
    }
    if (decoded.damage) {
      damage = journalDamage(name, `at byte ${offset + decoded.damage.offset} there is ${decoded.damage.why}, and sound frames follow it`);
      throw damage;
    }
    offset += decoded.end;
  };

  return {
    name,
    header: () => header,
    posts,
    keys,
    gone: () => gone,
    readNew() {
      try {
        if (damage) throw damage;
        read();
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
  };
}
