import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { StoreError } from '../store-errors.js';

/** What a post id (or an account id) used as a file name must look like. */
const SAFE_NAME = /^[A-Za-z0-9._-]{1,200}$/;

/** Whether `id` is safe as a file name: `[A-Za-z0-9._-]{1,200}`, and not `.` or `..`. */
export function isSafeId(id: string): boolean {
  return SAFE_NAME.test(id) && id !== '.' && id !== '..';
}

/** Throws a {@link StoreError} (kind `io`) for a post id the file store cannot use as a file name. */
export function assertSafePostId(postId: string): void {
  if (!isSafeId(postId)) {
    throw new StoreError('io', postId, `the file store refuses post id ${JSON.stringify(postId)}: ids must match [A-Za-z0-9._-]{1,200}`);
  }
}

/** Where the file store keeps everything under its directory (see fileStore). */
export interface StoreLayout {
  readonly posts: string;
  readonly keys: string;
  readonly ledger: string;
  /** `journal/`: the journals of the processes writing the store (fs/journal-writer.ts). */
  readonly journal: string;
  /** `outbox/`: the outbox of finished posts (fs/file-outbox.ts). */
  readonly outbox: string;
  /** `outbox/<postId>.json`: the post finished (written durably before the finish commits). */
  outboxFile(postId: string): string;
  /** `outbox/<postId>.delivery`: where its webhook delivery stands, once a deliverer looked at it. */
  deliveryFile(postId: string): string;
  /** `outbox/<postId>.done`: its webhook delivery got a 2xx. */
  doneFile(postId: string): string;
  /** `posts/<postId>.json` */
  postFile(postId: string): string;
  /** `posts/<postId>.lease`: who holds the post, while someone does. */
  leaseFile(postId: string): string;
  /** `posts/<postId>.lock` */
  lockFile(postId: string): string;
  /** `keys/<sha256(key) in hex>` */
  keyFile(key: string): string;
  /** `keys/<sha256(key) in hex>.lock`: held while a post is created with that key. */
  keyLockFile(key: string): string;
  /** `ledger/<account>.jsonl`, or `ledger/~<sha256(account)>.jsonl` for an account id that is not a safe file name. */
  ledgerFile(account: string): string;
  /** `ledger/<account>.containers.jsonl`: the account's container creations, for the 400 per 24 h. */
  creationsFile(account: string): string;
  /** `ledger/<account>.reservations.json`: the account's publishes under way. */
  reservationsFile(account: string): string;
  /** `ledger/<account>.lock`: held while a slot of the account is taken or a publish recorded. */
  ledgerLockFile(account: string): string;
  /** `brakes.json`: the shared brakes of the accounts and the app. */
  readonly brakesFile: string;
  /** `brakes.lock`: held while a brake is raised. */
  readonly brakesLockFile: string;
}

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** An account's name among the ledger files: its id, or `~<sha256>` for an id that is not a safe file name. */
const ledgerName = (account: string): string => (isSafeId(account) ? account : `~${sha256(account)}`);

/** The file store's layout under `dir`. */
export function storeLayout(dir: string): StoreLayout {
  const posts = join(dir, 'posts');
  const keys = join(dir, 'keys');
  const ledger = join(dir, 'ledger');
  const outbox = join(dir, 'outbox');
  return {
    outbox,
    outboxFile: (postId) => join(outbox, `${postId}.json`),
    deliveryFile: (postId) => join(outbox, `${postId}.delivery`),
    doneFile: (postId) => join(outbox, `${postId}.done`),
    posts,
    keys,
    ledger,
    journal: join(dir, 'journal'),
    postFile: (postId) => join(posts, `${postId}.json`),
    leaseFile: (postId) => join(posts, `${postId}.lease`),
    lockFile: (postId) => join(posts, `${postId}.lock`),
    keyFile: (key) => join(keys, sha256(key)),
    keyLockFile: (key) => join(keys, `${sha256(key)}.lock`),
    ledgerFile: (account) => join(ledger, `${ledgerName(account)}.jsonl`),
    creationsFile: (account) => join(ledger, `${ledgerName(account)}.containers.jsonl`),
    reservationsFile: (account) => join(ledger, `${ledgerName(account)}.reservations.json`),
    ledgerLockFile: (account) => join(ledger, `${ledgerName(account)}.lock`),
    brakesFile: join(dir, 'brakes.json'),
    brakesLockFile: join(dir, 'brakes.lock'),
  };
}
