/**
 * Upload: the heap while a local video goes up. One reel of 200 MB (a
 * generated MP4-looking file, scaled by BENCH_SCALE) published through the
 * engine with the memory store against the simulator in its own process,
 * with the heap sampled every 20 ms during the upload; printed beside the
 * file's size: the growth of the heap over its level before the publish,
 * at its peak, as a share of the file. Streaming keeps it flat: a client
 * that read the file into memory would show a growth of about 1×.
 *
 * Run alone: `node --expose-gc --import tsx bench/upload.ts`.
 */
import { join } from 'node:path';
import { memoryStore } from '../src/adapters/memory-store.js';
import { createEngine } from '../src/engine/engine.js';
import { DEFAULT_ACCOUNT } from '../src/sim/simulator.js';
import { writeVideoFile } from '../test/support/video-file.js';
import { collectGarbage } from './gc.js';
import { scaled } from './settings.js';
import { startSimProcess } from './sim-process.js';
import { fmt } from './stats.js';
import { reportSummary } from './summary.js';
import { tempDir } from './temp-dir.js';

const MB = 1024 * 1024;
const SIZE = scaled(200) * MB;
/** The target: the heap grows by at most this share of the file while it uploads. */
const TARGET_SHARE = 0.05;

console.log(`# upload: one reel of ${fmt(SIZE / MB)} MB from a local file, the heap sampled every 20 ms while it goes up`);
const temp = await tempDir('upload');
const sim = await startSimProcess();
try {
  const path = join(temp.dir, 'reel.mp4');
  await writeVideoFile(path, SIZE);
  const engine = createEngine({ store: memoryStore(), graph: { accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url, login: 'facebook' }, pollIntervalMs: 50, mediaChecks: false });
  await collectGarbage();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }, 20);
  let uploadStarted: number | undefined;
  let uploadEnded = 0;
  try {
    const handle = await engine.publish({ kind: 'reel', videoFile: path, caption: 'bench upload' });
    handle.events$.subscribe((event) => {
      if (event.type !== 'upload') return;
      uploadStarted ??= performance.now();
      uploadEnded = performance.now();
    });
    await handle.result;
  } finally {
    clearInterval(sampler);
    await engine.shutdown();
  }
  const seconds = (uploadEnded - (uploadStarted ?? uploadEnded)) / 1000;
  const growth = peak - before;
  console.log(`heap before ${fmt(before / MB, 1)} MB, peak ${fmt(peak / MB, 1)} MB: +${fmt(growth / MB, 1)} MB for a ${fmt(SIZE / MB)} MB file (${fmt((growth / SIZE) * 100, 2)} %); ${fmt(SIZE / MB / seconds, 0)} MB/s over loopback while uploading`);
  await reportSummary([
    { bench: 'upload', figure: `heap growth while a ${fmt(SIZE / MB)} MB video uploads, ÷ its size`, value: `${fmt((growth / SIZE) * 100, 2)} % (+${fmt(growth / MB, 1)} MB)`, target: `≤ ${TARGET_SHARE * 100} %`, met: growth / SIZE <= TARGET_SHARE },
  ]);
} finally {
  await sim.close();
  await temp.remove();
}
