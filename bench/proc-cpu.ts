/**
 * CPU time read from /proc (Linux), for processes the bench did not start
 * in-process: the workers, the simulator, PostgreSQL, and the machine as a
 * whole. Every reader gives undefined (or leaves a process out) where /proc
 * cannot be read, so the bench still runs elsewhere, without these figures.
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

/** Milliseconds per clock tick (`getconf CLK_TCK`, 100 almost everywhere). */
const TICK_MS = (() => {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
    return ticks > 0 ? 1000 / ticks : 10;
  } catch {
    return 10;
  }
})();

/** The fields of /proc/<pid>/stat after the command name: index 0 is field 3 (state). */
async function statFields(pid: number | string): Promise<string[] | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** User + system CPU ms of a live process (its reaped children too when `withChildren`); undefined once it is gone. */
export async function processCpuMs(pid: number | undefined, withChildren = false): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  const fields = await statFields(pid);
  if (fields === undefined) return undefined;
  // utime, stime, cutime, cstime are fields 14–17
  const own = Number(fields[11]) + Number(fields[12]);
  return (withChildren ? own + Number(fields[13]) + Number(fields[14]) : own) * TICK_MS;
}

/**
 * CPU ms of every process named `postgres` (the server runs on this machine),
 * their reaped children included: a backend that exits counts into the
 * postmaster's children times, so the sum only grows, and the difference of
 * two readings is PostgreSQL's CPU between them, closed connections included.
 */
export async function postgresCpuMs(): Promise<number | undefined> {
  let entries: string[];
  try {
    entries = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return undefined;
  }
  let total = 0;
  let found = false;
  for (const pid of entries) {
    const comm = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '');
    if (comm.trim() !== 'postgres') continue;
    const ms = await processCpuMs(Number(pid), true);
    if (ms === undefined) continue;
    total += ms;
    found = true;
  }
  return found ? total : undefined;
}

/** The machine's busy CPU ms (every core, everything but idle and iowait), from /proc/stat. */
export async function machineBusyMs(): Promise<number | undefined> {
  try {
    const line = (await readFile('/proc/stat', 'utf8')).split('\n', 1)[0] ?? '';
    const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
    return (user + nice + system + irq + softirq + steal) * TICK_MS;
  } catch {
    return undefined;
  }
}

/** `after - before`, undefined when either is. */
export function delta(before: number | undefined, after: number | undefined): number | undefined {
  return before === undefined || after === undefined ? undefined : after - before;
}

/** Cores busy on average over the next `ms` (everything on the machine, this process's sleep included); undefined without /proc. */
export async function busyCores(ms: number): Promise<number | undefined> {
  const before = await machineBusyMs();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const used = delta(before, await machineBusyMs());
  return used === undefined ? undefined : used / ms;
}
