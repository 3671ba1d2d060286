/** How long some work took: wall time, and CPU time of this whole process (user + system, every thread). */
export interface Timing {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** Runs `work` and measures its wall and process CPU time. */
export async function measure(work: () => Promise<void>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}
