import { open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { LedgerEntry } from '../store.js';
import { fsyncDir } from './atomic-file.js';
import { ignoreMissing } from './errno.js';

const LedgerLine = z.object({ account: z.string(), postId: z.string(), at: z.number() });

/**
 * Appends one entry to an account's ledger file (JSON Lines) and fsyncs it.
 * Each entry is one `write` in append mode, so concurrent appenders on this
 * machine do not interleave. The entry starts with a newline: a line torn by
 * a crash mid-append stays on its own line (and is skipped on read) instead
 * of swallowing the next entry.
 */
export async function appendLedgerEntry(path: string, entry: LedgerEntry): Promise<void> {
  const line = Buffer.from(`\n${JSON.stringify({ account: entry.account, postId: entry.postId, at: entry.at })}`, 'utf8');
  const handle = await open(path, 'a');
  try {
    await handle.write(line);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsyncDir(dirname(path));
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
