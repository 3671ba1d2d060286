/**
 * `npx tsx bench/outbox-prune.ts`: what Outbox.prune leaves and how long it
 * takes. File store: N posts finished through the store, 3/4 of them
 * delivered, half of those past the retention; the names in `outbox/`
 * before and after. PostgreSQL: M outbox rows (90 % delivered, spread over
 * 30 days), pruned to a 7-day retention in batches of 500, with and without
 * the index of migration 8. Knobs: PRUNE_FILE_POSTS (2000), PRUNE_PG_ROWS (200000).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { fileStore } from '../src/adapters/file-store.js';
import { postgresStore } from '../src/adapters/postgres/postgres-store.js';
import type { Store } from '../src/adapters/store.js';
import { newPost } from '../test/adapters/fixtures/new-post.js';
import { PG_URL } from '../test/adapters/fixtures/postgres-schema.js';
import { printTable } from './table.js';
import { tempDir } from './temp-dir.js';

const DAY = 86_400_000;
const BATCH = 500;
const FILE_POSTS = Number(process.env.PRUNE_FILE_POSTS ?? 2_000);
const PG_ROWS = Number(process.env.PRUNE_PG_ROWS ?? 200_000);
const RESULT = { outcome: 'published', mediaId: '9000', containerId: 'c1' } as const;

/** Prunes everything prunable before `before`, in batches; the entries removed and the ms it took. */
async function pruneAll(store: Store, before: number): Promise<{ removed: number; ms: number }> {
  const started = performance.now();
  let removed = 0;
  for (;;) {
    const n = await store.outbox.prune({ before, limit: BATCH });
    removed += n;
    if (n < BATCH) break;
  }
  return { removed, ms: performance.now() - started };
}

async function fileFigures(): Promise<(string | number)[][]> {
  const { dir, remove } = await tempDir('igflow-prune');
  const store = fileStore(dir);
  try {
    for (let i = 0; i < FILE_POSTS; i++) {
      const postId = `p${i}`;
      const at = i < FILE_POSTS / 2 ? 1_000 + i : 30 * DAY + i;
      await store.posts.create(newPost(postId, { wakeAt: undefined }));
      const [claim] = await store.queue.claim({ owner: 'w', now: at, until: at + 60_000, limit: 1, postIds: [postId] });
      await store.queue.finish(claim!, { status: 'published', state: 'published', result: RESULT, updatedAt: at });
    }
    const claims = await store.outbox.claimDeliveries({ owner: 'd', now: 31 * DAY, until: 32 * DAY, limit: FILE_POSTS });
    for (const [i, claim] of claims.entries()) if (i % 4 !== 3) await store.outbox.delivered(claim, 31 * DAY);
    const names = () => readdirSync(join(dir, 'outbox')).filter((name) => !name.startsWith('.'));
    const markers = () => names().filter((name) => name.endsWith('.json')).length;
    const before = [markers(), names().length];
    const { removed, ms } = await pruneAll(store, 7 * DAY);
    const again = await pruneAll(store, 7 * DAY);
    return [
      ['file', `${FILE_POSTS} finished, 3/4 delivered, half old`, `${before[0]} markers / ${before[1]} files`, `${markers()} markers / ${names().length} files`, removed, ms.toFixed(0), again.ms.toFixed(0)],
    ];
  } finally {
    await store.close();
    await remove();
  }
}

async function pgFigures(withIndex: boolean): Promise<(string | number)[]> {
  const schema = `igflow_prune_${process.pid}_${withIndex ? 'ix' : 'noix'}`;
  const admin = new pg.Pool({ connectionString: PG_URL, max: 1 });
  const store = postgresStore({ connectionString: PG_URL, schema });
  try {
    await store.posts.get('none'); // migrates
    const outbox = `${pg.escapeIdentifier(schema)}.outbox`;
    if (!withIndex) await admin.query(`DROP INDEX ${pg.escapeIdentifier(schema)}.outbox_delivered`);
    // at: spread over 30 days; every tenth row undelivered
    await admin.query(
      `INSERT INTO ${outbox} (post_id, account, status, at, next_attempt_at, delivered_at)
       SELECT 'p' || i, 'a', 'published', (i::bigint * ${30 * DAY} / $1), (i::bigint * ${30 * DAY} / $1), CASE WHEN i % 10 = 0 THEN NULL ELSE (i::bigint * ${30 * DAY} / $1) + 1000 END
       FROM generate_series(1, $1) AS i`,
      [PG_ROWS],
    );
    await admin.query(`ANALYZE ${outbox}`);
    const count = async () => Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${outbox}`)).rows[0]!.n);
    const rowsBefore = await count();
    const first = await pruneAll(store, 23 * DAY);
    const rowsAfter = await count();
    const again = await pruneAll(store, 23 * DAY);
    return ['postgres', `${PG_ROWS} rows, 90 % delivered, 30 days; ${withIndex ? 'with' : 'WITHOUT'} outbox_delivered`, `${rowsBefore} rows`, `${rowsAfter} rows`, first.removed, first.ms.toFixed(0), again.ms.toFixed(1)];
  } finally {
    await store.close();
    await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    await admin.end();
  }
}

const rows = [...(await fileFigures()), await pgFigures(true), await pgFigures(false)];
printTable('Outbox.prune (retention 7 days, batches of 500)', ['store', 'setup', 'before', 'after', 'removed', 'prune ms', 'next prune ms (nothing to do)'], rows);
