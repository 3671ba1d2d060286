/**
 * One igflow worker on a shared PostgreSQL store: the app enqueues, any
 * number of these publish. Stop it with Ctrl-C.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test IG_ACCESS_TOKEN=… IG_USER_ID=… npx tsx examples/worker.ts
 */
import { createEngine, postgresStore } from '../src/index.js';

const store = postgresStore({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' });
const engine = createEngine({
  store,
  graph: { accessToken: process.env.IG_ACCESS_TOKEN ?? '', igUserId: process.env.IG_USER_ID ?? '' },
});
engine.events$.subscribe((event) => console.log(JSON.stringify(event)));
let stopping: Promise<void> | undefined;
process.once('SIGINT', () => {
  stopping = engine.shutdown();
});
await engine.work({ concurrency: 25 });
await stopping;
await store.close();
