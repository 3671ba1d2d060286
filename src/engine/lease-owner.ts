import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Lease } from '../adapters/envelope.js';

/** A lease owner name: this machine, this process, and a nonce for this engine. */
export function newLeaseOwner(): string {
  return `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a lease's holder is a process of this machine that no longer
 * runs (killed, even with -9): its lease need not be waited out (README, *Choices*:
 * `igflow resume` takes the post over at once).
 */
export function holderIsGone(lease: Lease): boolean {
  const [host, pid] = lease.owner.split('/');
  const n = Number(pid);
  return host === hostname() && Number.isInteger(n) && n > 0 && n !== process.pid && !processIsAlive(n);
}
