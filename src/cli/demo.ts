#!/usr/bin/env node
/**
 * `npm start`: a tour of igflow against its built-in Graph API simulator (no
 * Instagram account, no network). It publishes an image, a reel, a carousel
 * of three (image, video, image) and two stories through the public API, on
 * a clock that runs 20 times faster than the wall clock, then prints a table:
 * per post, how it ended, the Graph API calls it took and the time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, DEFAULT_ACCOUNT, fileStore, scaledClock, startSimulator, type PostHandle } from '../index.js';
import { reporterFor } from './reporter-for.js';
import { processIo } from './cli-io.js';

const SPEED = 20;

const posts: ReadonlyArray<{ name: string; spec: Record<string, unknown> }> = [
  { name: 'image', spec: { kind: 'image', id: 'demo-image', imageUrl: 'https://cdn.example/harbour.jpg', caption: 'Harbour at dawn #travel', altText: 'Boats at dawn' } },
  { name: 'reel', spec: { kind: 'reel', id: 'demo-reel', videoUrl: 'https://cdn.example/behind-the-scenes.mp4', caption: 'Behind the scenes', shareToFeed: true } },
  {
    name: 'carousel of 3',
    spec: {
      kind: 'carousel',
      id: 'demo-carousel',
      caption: 'Swipe →',
      items: [{ imageUrl: 'https://cdn.example/1.jpg' }, { videoUrl: 'https://cdn.example/2.mp4' }, { imageUrl: 'https://cdn.example/3.jpg' }],
    },
  },
  { name: 'two stories', spec: { kind: 'stories', id: 'demo-stories', items: [{ imageUrl: 'https://cdn.example/s1.jpg' }, { videoUrl: 'https://cdn.example/s2.mp4' }] } },
];

async function main(): Promise<void> {
  const clock = scaledClock(SPEED);
  const sim = await startSimulator({ clock, scenario: { processing: { imageMs: [1_000, 3_000], videoMs: [20_000, 60_000], parentMs: [1_000, 3_000] } } });
  const dir = await mkdtemp(join(tmpdir(), 'igflow-demo-'));
  const reporter = await reporterFor(processIo, false);
  reporter.message(`igflow demo: the Graph API simulator runs at ${sim.url}; time runs ${SPEED}× faster; the store is ${dir}\n`);
  const engine = createEngine({
    store: fileStore(dir),
    clock,
    graph: { accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url },
    // the demo's media URLs (cdn.example) name no real host: there is nothing to check
    mediaChecks: false,
  });
  engine.events$.subscribe((event) => reporter.event(event));
  const started = Date.now();
  const runs = await Promise.all(
    posts.map(async ({ name, spec }) => {
      const t0 = clock.now();
      const handle: PostHandle = await engine.publish(spec);
      const outcome = await handle.result.then(
        (result) => `published ${result.mediaId ?? ''}`.trim(),
        (err: unknown) => `failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      return { name, spec, outcome, seconds: (clock.now() - t0) / 1000 };
    }),
  );
  reporter.close();
  /** A post's Graph API calls, from the simulator's record: its containers (found by its media URLs) and their reads and publish. */
  const callsOf = (spec: Record<string, unknown>) => {
    const urls = new Set(JSON.stringify(spec).match(/https:\/\/[^"]+/g) ?? []);
    const mine = (params: Record<string, unknown>) => urls.has(String(params.image_url ?? params.video_url));
    const items = new Set(sim.record.containers.filter((c) => mine(c.params)).map((c) => c.id));
    const ids = new Set([...items, ...sim.record.containers.filter((c) => c.children?.some((id) => items.has(id))).map((c) => c.id)]);
    return sim.record.requests.filter(
      (r) =>
        (r.endpoint === 'create' && (mine(r.params) || (typeof r.params.children === 'string' ? r.params.children.split(',') : []).some((id) => items.has(id)))) ||
        (r.endpoint === 'publish' && ids.has(String(r.params.creation_id))) ||
        (r.endpoint === 'status' && [...ids].some((id) => r.path.endsWith(`/${id}`))),
    ).length;
  };
  const rows = runs.map((run) => [run.name, run.outcome, String(callsOf(run.spec)), `${run.seconds.toFixed(0)} s`]);
  const header = ['post', 'state', 'API calls', 'simulated time'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`);
  process.stdout.write(`\n${runs.length} posts in ${((Date.now() - started) / 1000).toFixed(1)} s of real time; ${sim.record.requests.length} Graph API requests; violations seen by the simulator: ${sim.record.violations.length}.\n`);
  process.stdout.write('Next: `npm test`, the README, or `igflow simulate` and `igflow publish` against it.\n');
  await engine.shutdown();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  process.stderr.write(`igflow demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
