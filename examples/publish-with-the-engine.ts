/**
 * Publish one image through the engine and watch its events.
 *
 *   npx tsx examples/publish-with-the-engine.ts
 *
 * Runs against the built-in simulator; for Instagram, drop `baseUrl` and
 * use your IG_ACCESS_TOKEN and IG_USER_ID.
 */
import { createEngine, DEFAULT_ACCOUNT, memoryStore, PostFailed, startSimulator } from '../src/index.js';

const sim = await startSimulator({ scenario: { processing: { imageMs: [500, 500] } } });
const engine = createEngine({
  store: memoryStore(),
  graph: { accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl: sim.url },
  pollIntervalMs: 200,
  // cdn.example is no real host; against Instagram, leave the media checks on (the default)
  mediaChecks: false,
});

const handle = await engine.publish({ kind: 'image', id: 'example-1', imageUrl: 'https://cdn.example/a.jpg', caption: 'Hello from igflow' });
handle.events$.subscribe((event) => console.log(JSON.stringify(event)));
try {
  const { mediaId } = await handle.result;
  console.log(`published as ${mediaId}`);
} catch (err) {
  if (err instanceof PostFailed) console.error(`failed: ${err.message}\n  ${err.remedy}`);
  else throw err;
} finally {
  await engine.shutdown();
  await sim.close();
}
