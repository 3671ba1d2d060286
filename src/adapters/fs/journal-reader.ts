import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { errno } from './errno.js';
import { decodeFrames } from './journal-frame.js';
import { journalDamage, parseHeader, parseRecords, type JournalHeader, type JournalRecord } from './journal-records.js';

/** How much of a journal is read at a time. */
const CHUNK_BYTES = 256 * 1024;

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
  close(): Promise<void>;
}

/** A reader of the journal file `name` in `dir`, reading nothing until {@link JournalReader.readNew}. */
export function journalReader(dir: string, name: string): JournalReader {
  const path = join(dir, name);
  let handle: FileHandle | undefined;
  let header: JournalHeader | undefined;
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

  /** The bytes from `offset` to the end of the file. */
  const readTail = async (file: FileHandle): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for (let at = offset; ; ) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await file.read(chunk, 0, CHUNK_BYTES, at);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      at += bytesRead;
    }
    return Buffer.concat(chunks);
  };

  return {
    name,
    header: () => header,
    posts,
    keys,
    gone: () => gone,
    async readNew() {
      if (damage) throw damage;
      try {
        handle ??= await open(path, 'r');
      } catch (error) {
        if (errno(error) !== 'ENOENT') throw error;
        gone = true;
        return;
      }
      const bytes = await readTail(handle);
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
      // bytes after `end` (a frame still being written, or torn) are read again next time, never kept
      offset += decoded.end;
    },
    async close() {
      await handle?.close().catch(() => undefined);
      handle = undefined;
    },
  };
}
