import { closeSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { LedgerEntry } from '../store.js';
import { ignoreMissing } from './errno.js';
import type { Durability } from './sync-rounds.js';

const LedgerLine = z.object({ account: z.string(), postId: z.string(), at: z.number() });

/** Appends ledger entries; see {@link ledgerAppender}. */
export interface LedgerAppender {
  /** Appends `entry` to the ledger file at `path` and resolves once it is on disk. */
  append(path: string, entry: LedgerEntry): Promise<void>;
}

/** A ledger file open for appends, and how many appends use it. */
interface OpenLedger {
  readonly fd: number;
  users: number;
}

/**
 * Appends entries to accounts' ledger files (JSON Lines). Each entry is one
 * `write` in append mode, so concurrent appenders on this machine (in any
 * process) do not interleave, and its fdatasync goes through `durability`:
 * the appends to one file in flight at once share one open file and one
 * fdatasync, and the file is closed when the last of them is done. A
 * file's directory is fsynced the first time this appender opens it (the
 * open may have created it). The entry starts with a newline: a line torn
 * by a crash mid-append stays on its own line (and is skipped on read)
 * instead of swallowing the next entry.
 */
export function ledgerAppender(durability: Durability): LedgerAppender {
  const files = new Map<string, OpenLedger>();
  const named = new Map<string, Promise<void>>();
  const acquire = (path: string): OpenLedger => {
    const file = files.get(path) ?? { fd: openSync(path, 'a'), users: 0 };
    files.set(path, file);
    file.users += 1;
    return file;
  };
  const release = (path: string, file: OpenLedger): void => {
    file.users -= 1;
    if (file.users > 0) return;
    files.delete(path);
    closeSync(file.fd);
  };
  const nameDurable = (path: string): Promise<void> => {
    let done = named.get(path);
    if (done === undefined) {
      done = durability.dir(dirname(path));
      named.set(path, done);
      void done.catch(() => named.delete(path));
    }
    return done;
  };
  return {
    async append(path, entry) {
      const file = acquire(path);
      try {
        writeSync(file.fd, Buffer.from(`\n${JSON.stringify({ account: entry.account, postId: entry.postId, at: entry.at })}`, 'utf8'));
        await Promise.all([durability.file(file.fd, true), nameDurable(path)]);
      } finally {
        release(path, file);
      }
    },
  };
}

/** Reads an account's ledger file in recording order, skipping blank and torn lines; empty when there is none. */
export async function readLedgerFile(path: string): Promise<LedgerEntry[]> {
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    ignoreMissing(error);
  }
  const entries: LedgerEntry[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      continue;
    }
    const parsed = LedgerLine.safeParse(raw);
    if (parsed.success) entries.push(parsed.data);
  }
  return entries;
}
