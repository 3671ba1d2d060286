/**
 * The engine's own cost, for a CPU profile: publishes image posts through
 * the engine with the memory store against a simulator in its own process
 * (so the profile holds only the client), 50 in flight, as the throughput
 * benchmark's memory-store variant does; with `PROFILE_STORE=file`, the
 * file store in a temp directory. Prints posts/s.
 *
 * Run: `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-engine.ts [posts]`,
 * then `npx tsx bench/profile-top.ts /tmp/prof/<file>.cpuprofile`.
 */
import { fileStore } from '../src/adapters/file-store.js';
import { memoryStore } from '../src/adapters/memory-store.js';
import type { Store } from '../src/adapters/store.js';
import { publishThroughEngine } from './engine-run.js';
import { startSimProcess } from './sim-process.js';
import { fmt } from './stats.js';
import { tempDir } from './temp-dir.js';

const posts = Number(process.argv[2] ?? 3_000);
const dir = process.env.PROFILE_STORE === 'file' ? await tempDir('profile') : undefined;
const store = (): Store => (dir === undefined ? memoryStore() : fileStore(dir.dir));
const sim = await startSimProcess();
try {
  await publishThroughEngine({ baseUrl: sim.url, store: store(), posts: 200, concurrency: 50, tag: 'warm', pollIntervalMs: 1 });
  const timing = await publishThroughEngine({ baseUrl: sim.url, store: store(), posts, concurrency: 50, tag: 'prof', pollIntervalMs: 1 });
  process.stdout.write(`${fmt(posts)} posts in ${fmt(timing.wallMs)} ms: ${fmt((posts / timing.wallMs) * 1000)} posts/s, ${fmt((timing.cpuMs / posts) * 1000)} µs of client CPU per post\n`);
} finally {
  await sim.close();
  await dir?.remove();
}
