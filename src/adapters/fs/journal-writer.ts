import { randomBytes } from 'node:crypto';
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { PostEnvelope } from '../envelope.js';
import { ignoreMissing } from './errno.js';
import { encodeFrame } from './journal-frame.js';
import { envelopeJson, headerPayload, recordsPayload } from './journal-records.js';
import type { Durability } from './sync-rounds.js';

/** A journal file grows to about this size before the writer starts a new one (and carries its live records over). */
export const ROTATE_BYTES = 1024 * 1024;
/** A post file written without fsync is fsynced this long after (by then the kernel has usually written it back, so the fsync is cheap). */
export const SYNC_AFTER_MS = 30_000;

/** Options of {@link journalWriter}. */
export interface JournalWriterOptions {
  readonly durability: Durability;
  /**
   * Fsyncs the post files of these posts (and the directory holding them),
   * resolving to the ids it could: a post file written from the journal
   * without fsync ({@link JournalWriter.filed}) keeps its record alive
   * until then.
   */
  readonly syncPostFiles: (postIds: readonly string[]) => Promise<readonly string[]>;
  readonly rotateBytes?: number;
  readonly syncAfterMs?: number;
}

/** This store object's journal; see {@link journalWriter}. */
export interface JournalWriter {
  /** The start of this writer's file names, `<pid>-<random>.`: readers skip their own writer's files. */
  readonly prefix: string;
  /**
   * Appends `post` (an envelope at its new version, without lease) and
   * resolves once it is on disk. `check` runs right before the frame
   * holding it is written (the post's lock check): when it throws, this
   * post is not written and the call rejects with that error.
   */
  append(post: PostEnvelope, check: () => void): Promise<void>;
  /** The newest envelope of `postId` this journal holds that its post file may not (a fresh copy, the caller's to change). */
  live(postId: string): PostEnvelope | undefined;
  /** The posts {@link live} knows. */
  livePostIds(): string[];
  /** The live post holding idempotency key `key`, if any. */
  postIdOfKey(key: string): string | undefined;
  /** Whether this journal holds, durably, the record of `postId` at exactly `version` (its newest). */
  covers(postId: string, version: number): boolean;
  /**
   * The post's file now holds `version`. Written `durably` (fsynced), its
   * records here are dead. Written without fsync, which only a record this
   * journal {@link covers} allows, the record stays until the post file is
   * fsynced: about {@link SYNC_AFTER_MS} later, or at once when no post is
   * live any more (the store is at rest: the call then resolves once the
   * post files are fsynced and the emptied journal files removed).
   */
  filed(postId: string, version: number, durably: boolean): Promise<void>;
  /** Waits for what is queued, fsyncs every post file still pending, and closes the files (removing those left with no live record). */
  close(): Promise<void>;
}

interface Generation {
  readonly path: string;
  /** Its descriptor while open (opened for appends). */
  fd: number | undefined;
  size: number;
  /** How many posts' newest records (live or pending a post file's fsync) are in this file. */
  pins: number;
  /** Whether its name is durable yet (its directory fsynced since it was created). */
  named: boolean;
}

/** A record: the post, its key, its version, and its envelope's JSON (what the frame holds, and what {@link JournalWriter.live} parses). */
interface Entry {
  readonly postId: string;
  readonly key: string | undefined;
  readonly version: number;
  readonly json: string;
}

interface Pending extends Entry {
  /** A record written again into a new file by {@link rotate}: entered only if it is still the post's newest once its frame is on disk. */
  readonly carried?: boolean;
  check(): void;
  resolve(): void;
  reject(error: unknown): void;
}

/** A post whose post file holds `version`, written without fsync: its record in `file` stays until that file is fsynced. */
interface Unsynced {
  readonly version: number;
  readonly file: Generation;
  readonly since: number;
}

/** Thrown by a carried record's check when the record is no longer the newest: it is then simply not carried. */
class Superseded extends Error {}

const ignore = (): void => undefined;

/**
 * The journal of one store object (one per process, normally), with group
 * commit: `journal/<pid>-<random>.<n>.log`, append-only frames
 * (journal-frame.ts) of post records (journal-records.ts).
 *
 * - Group commit: appends made while a frame is being written or fsynced
 *   wait and go together into the next frame, written with one `write`
 *   and made durable with one fdatasync (shared with the store's other
 *   fsyncs, sync-rounds.ts). Every caller's promise resolves only after
 *   the fdatasync of its frame returned. Frames are strictly one after the
 *   other (the next is written only once the last is on disk), so a crash
 *   can only tear the last frame, which nobody was told was written.
 * - Live records: this writer remembers the newest durable envelope of each
 *   post it journalled until that post's file holds it, durably. A post
 *   is entered only once its frame is on disk, so a file is never removed
 *   while the only durable copy of a write is in a frame still in flight.
 * - Post files written from the journal without fsync (a post given up:
 *   file-queue.ts) keep their record until they are fsynced in a batch,
 *   half a minute later (the kernel has written most back by then, so
 *   each fsync is cheap), or as soon as no post is live. A power loss
 *   before that may leave such a post file old, empty or zeroed: readers
 *   then take the journal's record (post-state.ts).
 * - Files: a new file is started when the current one passes
 *   {@link ROTATE_BYTES}, or after a failed write or fsync (a failed write
 *   may have left a torn frame, and nothing may follow one): the live
 *   records of the old files are written again into the new one, and a
 *   file that holds no post's newest record any more is removed. When
 *   nothing is live or pending, the current file is removed too, so a
 *   store at rest has no journal files.
 */
export function journalWriter(dir: string, options: JournalWriterOptions): JournalWriter {
  const { durability, syncPostFiles } = options;
  const rotateBytes = options.rotateBytes ?? ROTATE_BYTES;
  const syncAfterMs = options.syncAfterMs ?? SYNC_AFTER_MS;
  const prefix = `${process.pid}-${randomBytes(4).toString('hex')}.`;
  let serial = 0;
  let current: Generation | undefined;
  const retiring = new Set<Generation>();
  const live = new Map<string, { entry: Entry; file: Generation }>();
  const unsynced = new Map<string, Unsynced>();
  type Task = { readonly kind: 'settle'; resolve(): void };
  let queue: Pending[] = [];
  let tasks: Task[] = [];
  let retireWanted = false;
  let running: Promise<void> | undefined;
  let syncing: Promise<void> | undefined;

  const setLive = (entry: Entry, file: Generation): void => {
    const old = live.get(entry.postId);
    if (old !== undefined && old.entry.version > entry.version) return;
    if (old !== undefined) old.file.pins -= 1;
    live.set(entry.postId, { entry, file });
    file.pins += 1;
  };
  const dropUnsynced = (postId: string, atMost: number): void => {
    const old = unsynced.get(postId);
    if (old === undefined || old.version > atMost) return;
    unsynced.delete(postId);
    old.file.pins -= 1;
  };

  const newGeneration = (): Generation => {
    serial += 1;
    const path = join(dir, `${prefix}${serial}.log`);
    return { path, fd: openSync(path, 'ax'), size: 0, pins: 0, named: false };
  };

  /** Starts a new file for the next frame; the live records of the others go into it again. */
  const rotate = (): void => {
    if (current !== undefined) retiring.add(current);
    current = undefined;
    const carried: Pending[] = [];
    for (const [postId, { entry, file }] of live) {
      if (!retiring.has(file)) continue;
      const check = (): void => {
        if (live.get(postId)?.entry !== entry) throw new Superseded();
      };
      carried.push({ ...entry, carried: true, check, resolve: ignore, reject: ignore });
    }
    queue = [...carried, ...queue];
  };

  /** Writes a frame at once, on the calling thread (it only copies to the page cache; the fdatasync after it goes through the pool). */
  const writeAll = (fd: number, bytes: Buffer): void => {
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
  };

  const writeFrame = async (batch: readonly Pending[]): Promise<void> => {
    const accepted = batch.filter((pending) => {
      try {
        pending.check();
        return true;
      } catch (error) {
        pending.reject(error);
        return false;
      }
    });
    if (accepted.length === 0) return;
    const fail = (error: unknown): void => {
      for (const pending of accepted) pending.reject(error);
      rotate();
    };
    let file: Generation;
    let fd: number;
    try {
      file = current ??= newGeneration();
      fd = file.fd as number;
    } catch (error) {
      fail(error);
      return;
    }
    const records = encodeFrame(recordsPayload(accepted));
    const bytes = file.size === 0 ? Buffer.concat([encodeFrame(headerPayload()), records]) : records;
    try {
      writeAll(fd, bytes);
      file.size += bytes.length;
      await Promise.all([durability.file(fd, true), file.named ? undefined : durability.dir(dir)]);
      file.named = true;
    } catch (error) {
      fail(error);
      return;
    }
    for (const { postId, key, version, json, carried } of accepted) {
      // a post filed (or written anew) while its carried record was on its way: the record is no longer live, and must not pin this file
      if (carried === true && live.get(postId)?.entry.version !== version) continue;
      setLive({ postId, key, version, json }, file);
    }
    for (const pending of accepted) pending.resolve();
    if (file.size >= rotateBytes) rotate();
  };

  const closeFile = (file: Generation): void => {
    if (file.fd !== undefined) closeSync(file.fd);
    file.fd = undefined;
  };
  const remove = (file: Generation): void => {
    closeFile(file);
    try {
      unlinkSync(file.path);
    } catch (error) {
      ignoreMissing(error);
    }
  };

  /** Removes the files that no post's newest record pins: the retired ones, and the current one when nothing at all is live, pending or queued. */
  const retire = (): void => {
    for (const file of [...retiring]) {
      if (file.pins > 0) continue;
      retiring.delete(file);
      remove(file);
    }
    if (current !== undefined && current.pins === 0 && live.size === 0 && unsynced.size === 0 && queue.length === 0) {
      const file = current;
      current = undefined;
      remove(file);
    }
  };

  /** Fsyncs the post files of these pending posts; those fsynced release their records. */
  const syncFiles = async (postIds: readonly string[]): Promise<void> => {
    if (postIds.length === 0) return;
    const wanted = new Map(postIds.map((postId) => [postId, unsynced.get(postId)]));
    const done = await syncPostFiles(postIds).catch((): readonly string[] => []);
    for (const postId of done) {
      const entry = wanted.get(postId);
      if (entry !== undefined && unsynced.get(postId) === entry) dropUnsynced(postId, entry.version);
    }
    retireWanted = true;
  };

  /** Starts fsyncing, in the background, the post files pending for {@link SYNC_AFTER_MS} or more. */
  const syncDue = (): void => {
    if (syncing !== undefined) return;
    const due = Date.now() - syncAfterMs;
    const postIds = [...unsynced].filter(([, entry]) => entry.since <= due).map(([postId]) => postId);
    if (postIds.length === 0) return;
    syncing = syncFiles(postIds).finally(() => {
      syncing = undefined;
      kick();
    });
  };

  const loop = async (): Promise<void> => {
    // first a turn, so that `running` is set before the loop may finish (it can, without awaiting anything)
    await Promise.resolve();
    try {
      while (queue.length > 0 || tasks.length > 0 || retireWanted) {
        if (tasks.length > 0) {
          // before the next frame: a settle is asked for only when nothing is live, and must not wait behind a stream of appends
          const batch = tasks;
          tasks = [];
          await syncing;
          await syncFiles([...unsynced.keys()]);
          retire();
          for (const task of batch) task.resolve();
        } else if (queue.length > 0) {
          const batch = queue;
          queue = [];
          await writeFrame(batch);
          // here, not only when the queue is empty: a steady stream of appends would keep old files forever
          retire();
          syncDue();
        } else {
          retireWanted = false;
          retire();
        }
      }
    } finally {
      // synchronously after the last check: a call made from now on starts a new loop
      running = undefined;
    }
  };
  const kick = (): void => {
    running ??= loop();
  };
  /** Fsyncs every pending post file, then removes the journal files left unpinned; resolves when done. */
  const settle = (): Promise<void> =>
    new Promise<void>((resolve) => {
      tasks.push({ kind: 'settle', resolve });
      kick();
    });

  return {
    prefix,
    append(post, check) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ postId: post.postId, key: post.key, version: post.version, json: envelopeJson(post), check, resolve, reject });
        kick();
      });
    },
    live(postId) {
      const json = live.get(postId)?.entry.json;
      return json === undefined ? undefined : (JSON.parse(json) as PostEnvelope);
    },
    livePostIds: () => [...live.keys()],
    postIdOfKey(key) {
      for (const [postId, { entry }] of live) if (entry.key === key) return postId;
      return undefined;
    },
    covers: (postId, version) => live.get(postId)?.entry.version === version,
    filed(postId, version, durably) {
      const held = live.get(postId);
      if (held === undefined && !unsynced.has(postId)) return Promise.resolve();
      if (held !== undefined && held.entry.version <= version) {
        live.delete(postId);
        if (!durably && held.entry.version === version) {
          dropUnsynced(postId, Number.POSITIVE_INFINITY);
          unsynced.set(postId, { version, file: held.file, since: Date.now() });
        } else {
          held.file.pins -= 1;
        }
      }
      if (durably) dropUnsynced(postId, version);
      if (live.size === 0) return settle();
      retireWanted = true;
      kick();
      return Promise.resolve();
    },
    async close() {
      await settle();
      while (running !== undefined || syncing !== undefined) await (running ?? syncing);
      if (current !== undefined) retiring.add(current);
      current = undefined;
      for (const file of [...retiring]) {
        if (file.pins > 0) {
          // a post whose file could not be written or fsynced: its records stay on disk, for whoever reads the store next
          closeFile(file);
          continue;
        }
        retiring.delete(file);
        remove(file);
      }
    },
  };
}
