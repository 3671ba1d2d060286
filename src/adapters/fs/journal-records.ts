import { hostname } from 'node:os';
import { parseEnvelope, type PostEnvelope } from '../envelope.js';
import { DamagedPostError, StoreError } from '../store-errors.js';
import { postFileText } from './post-file.js';
import { isSafeId } from './store-layout.js';

/**
 * What the frames of a journal hold (journal-frame.ts): lines of JSON. The
 * first frame of every journal file is its header, `{ journal, pid, host }`
 * (the format, and the process that writes the file); every later line is
 * one post record, `{ p, e }`: the post id and its envelope as a post file
 * would hold it, without lease (leases live in lease files only).
 */

/** The journal format this code writes and reads. A journal of another format is refused, never misread. */
export const JOURNAL_FORMAT = 1;

/** The first frame of a journal file: who writes it. */
export interface JournalHeader {
  readonly pid: number;
  readonly host: string;
}

/** One record read back: the post's envelope, or why it cannot be used. */
export type JournalRecord = { readonly postId: string; readonly post: PostEnvelope } | { readonly postId: string; readonly damage: DamagedPostError };

/** The header frame's payload for this process. */
export function headerPayload(): Buffer {
  return Buffer.from(JSON.stringify({ journal: JOURNAL_FORMAT, pid: process.pid, host: hostname() }), 'utf8');
}

/** A post's envelope as a record holds it: the JSON of its post file (without lease), without the newline. */
export function envelopeJson(post: PostEnvelope): string {
  return postFileText(post).trimEnd();
}

/** The payload of one frame holding these records (each a post id and its {@link envelopeJson}), one line each. */
export function recordsPayload(records: ReadonlyArray<{ readonly postId: string; readonly json: string }>): Buffer {
  return Buffer.from(records.map(({ postId, json }) => `{"p":${JSON.stringify(postId)},"e":${json}}`).join('\n'), 'utf8');
}

/**
 * A journal that cannot be read safely: damaged in its middle, of an
 * unknown format, or holding a line that names no post. Kind `corrupt`,
 * about no post in particular (postId ''): which posts it concerns cannot
 * be told, so the whole store refuses to be read until a human looks (see
 * journal-index.ts).
 */
export function journalDamage(file: string, why: string): StoreError {
  return new StoreError(
    'corrupt',
    '',
    `the file store's journal ${file} is damaged: ${why}. igflow cannot tell which posts the damaged bytes were about, so it reads and writes nothing rather than misread one ` +
      '(a post could look older than it is and be published twice). Restore the file from a backup, or move it out of the journal directory to accept that the posts it held may have lost their latest writes.',
  );
}

/** The header of a journal file, from its first frame; throws {@link journalDamage} when it is not one this code can read. */
export function parseHeader(file: string, payload: Buffer): JournalHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(payload.toString('utf8'));
  } catch {
    throw journalDamage(file, 'its first frame is not a journal header');
  }
  const header = raw as { journal?: unknown; pid?: unknown; host?: unknown };
  if (typeof raw !== 'object' || raw === null || header.journal === undefined) throw journalDamage(file, 'its first frame is not a journal header');
  if (header.journal !== JOURNAL_FORMAT) throw journalDamage(file, `it is of an unknown journal format (this igflow reads format ${JOURNAL_FORMAT})`);
  if (typeof header.pid !== 'number' || typeof header.host !== 'string') throw journalDamage(file, 'its header does not name its process');
  return { pid: header.pid, host: header.host };
}

/**
 * The records of one frame's payload. A record whose envelope is invalid
 * or of an unknown version is a {@link DamagedPostError} for that post (its
 * frame's checksum held, so which post it is about is known); a line that
 * names no post throws {@link journalDamage}.
 */
export function parseRecords(file: string, payload: Buffer): JournalRecord[] {
  const records: JournalRecord[] = [];
  for (const line of payload.toString('utf8').split('\n')) {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw journalDamage(file, 'a sound frame holds a line that is not JSON');
    }
    const { p, e } = (typeof raw === 'object' && raw !== null ? raw : {}) as { p?: unknown; e?: unknown };
    if (typeof p !== 'string' || !isSafeId(p)) throw journalDamage(file, 'a sound frame holds a record that names no post');
    try {
      const post = parseEnvelope(p, e);
      if (post.postId !== p) throw new DamagedPostError('corrupt', p, `is corrupt: its journal record (in ${file}) holds the envelope of another post`);
      records.push({ postId: p, post });
    } catch (error) {
      if (!(error instanceof DamagedPostError)) throw error;
      records.push({ postId: p, damage: new DamagedPostError(error.kind, p, `${error.damage} (its record in the journal ${file})`) });
    }
  }
  return records;
}
