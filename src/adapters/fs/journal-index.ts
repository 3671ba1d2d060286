import { readdir } from 'node:fs/promises';
import { ignoreMissing } from './errno.js';
import type { JournalRecord } from './journal-records.js';
import { journalReader, type JournalReader } from './journal-reader.js';
import type { JournalWriter } from './journal-writer.js';
import { processIsGone } from './process-alive.js';

/** A journal file's name: `<pid>-<8 hex digits>.<n>.log` (journal-writer.ts). */
const JOURNAL_NAME = /^(\d+)-[0-9a-f]{8}\.\d+\.log$/;

/** What the store knows of every journal of its directory; see {@link journalIndex}. */
export interface JournalIndex {
  /**
   * Reads what every other writer appended since the last refresh (and
   * notices journals created or removed meanwhile). Concurrent calls share
   * a refresh, but never one that started before they were made. Throws
   * the damage of a journal that cannot be read safely (journal-records.ts).
   */
  refresh(): Promise<void>;
  /** The newest journal record of a post, in this store's journal or any other (a copy, the caller's to change); undefined when none holds one. */
  entry(postId: string): JournalRecord | undefined;
  /** Every post some journal holds a record of. */
  postIds(): Set<string>;
  /** The post a journal record gives idempotency key `key` to, if any. */
  postIdOfKey(key: string): string | undefined;
  /** The journals of other writers that are processes of this machine no longer running: their files are swept (compaction.ts). */
  deadJournals(): JournalReader[];
}

/** Whether `record` is newer than `than` (a damaged record wins: nobody can tell it is not the newest). */
const newer = (record: JournalRecord, than: JournalRecord | undefined): boolean =>
  than === undefined || 'damage' in record || ('post' in than && record.post.version > than.post.version);

/**
 * The index of the journals in `dir`: this store's own (its writer's live
 * records, in memory) and every other writer's, each read incrementally
 * (journal-reader.ts). Reading a post merges its files with the newest of
 * these records (post-state.ts).
 */
export function journalIndex(dir: string, writer: JournalWriter): JournalIndex {
  const readers = new Map<string, JournalReader>();
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;

  const readAll = async (): Promise<void> => {
    let names: string[] = [];
    try {
      names = await readdir(dir);
    } catch (error) {
      ignoreMissing(error);
    }
    const present = new Set(names.filter((name) => JOURNAL_NAME.test(name) && !name.startsWith(writer.prefix)));
    for (const name of readers.keys()) if (!present.has(name)) readers.delete(name);
    for (const name of present) if (!readers.has(name)) readers.set(name, journalReader(dir, name));
    await Promise.all([...readers.values()].map((reader) => reader.readNew()));
  };

  const refresh = (): Promise<void> => {
    if (running === undefined) {
      running = readAll().finally(() => {
        running = undefined;
      });
      return running;
    }
    // the refresh under way may have listed the directory before this call: one more runs after it, for everyone who asked meanwhile
    next ??= running
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return refresh();
      });
    return next;
  };

  return {
    refresh,
    entry(postId) {
      const own = writer.live(postId);
      let best: JournalRecord | undefined = own === undefined ? undefined : { postId, post: own };
      let foreign = false;
      for (const reader of readers.values()) {
        const record = reader.posts.get(postId);
        if (record !== undefined && newer(record, best)) {
          best = record;
          foreign = true;
        }
      }
      return best !== undefined && foreign && 'post' in best ? { postId, post: structuredClone(best.post) } : best;
    },
    postIds() {
      const ids = new Set(writer.livePostIds());
      for (const reader of readers.values()) for (const postId of reader.posts.keys()) ids.add(postId);
      return ids;
    },
    postIdOfKey(key) {
      const own = writer.postIdOfKey(key);
      if (own !== undefined) return own;
      for (const reader of readers.values()) {
        const postId = reader.keys.get(key);
        if (postId !== undefined) return postId;
      }
      return undefined;
    },
    deadJournals() {
      return [...readers.values()].filter((reader) => {
        const pid = Number(JOURNAL_NAME.exec(reader.name)?.[1]);
        const header = reader.header();
        return header === undefined ? processIsGone(pid) : processIsGone(header.pid, header.host);
      });
    },
  };
}
