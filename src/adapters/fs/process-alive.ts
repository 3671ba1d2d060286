import { hostname } from 'node:os';

/** This machine's name, read once (`hostname()` is a system call). */
const HOST = hostname();

/** Whether process `pid` runs on this machine (one of another user counts: signalling it is refused, not failed). */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the process `pid` of machine `host` (default: this one) is known to be gone: it was of this machine, and runs no more. */
export function processIsGone(pid: number, host: string = HOST): boolean {
  return host === HOST && Number.isSafeInteger(pid) && pid > 0 && !processIsAlive(pid);
}
