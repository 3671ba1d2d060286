import { writeSync } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
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
  /** Closes the ledger files it keeps open. */
  close(): Promise<void>;
}

/**
 * Appends entries to accounts' ledger files (JSON Lines), keeping each file
 * open in append mode once used. Each entry is one `write`, so concurrent
 * appenders on this machine (in any process) do not interleave; its
 * fdatasync goes through `durability`, so the entries of concurrent
 * publishes share one (a file's directory is fsynced once, when it is first
 * opened, for a file this call may have created). The entry starts with a
 * newline: a line torn by a crash mid-append stays on its own line (and is
 * skipped on read) instead of swallowing the next entry.
 */
export function ledgerAppender(durability: Durability): LedgerAppender {
  const files = new Map<string, Promise<FileHandle>>();
  const fileFor = (path: string): Promise<FileHandle> => {
    let file = files.get(path);
    if (file === undefined) {
      file = (async () => {
        const handle = await open(path, 'a');
        await durability.dir(dirname(path));
        return handle;
      })();
      files.set(path, file);
      void file.catch(() => files.delete(path));
    }
    return file;
  };
  return {
    async append(path, entry) {
      const handle = await fileFor(path);
      writeSync(handle.fd, Buffer.from(`\n${JSON.stringify({ account: entry.account, postId: entry.postId, at: entry.at })}`, 'utf8'));
      await durability.file(handle, true);
    },
    async close() {
      const open = [...files.values()];
      files.clear();
      await Promise.all(open.map((file) => file.then((handle) => handle.close()).catch(() => undefined)));
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
