// Preloaded into a benchmark's `igflow work` process (`node --import`): counts
// the queries it sends to PostgreSQL (each one round trip: pg sends a query's
// parse, bind and execute together) and writes the count to the file named
// by IGFLOW_BENCH_QUERY_LOG when the process exits. Bench-only: igflow itself
// has no such hook.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';

const log = process.env.IGFLOW_BENCH_QUERY_LOG;
if (log) {
  const pg = createRequire(import.meta.url)('pg');
  const query = pg.Client.prototype.query;
  let queries = 0;
  pg.Client.prototype.query = function countedQuery(...args) {
    queries += 1;
    return query.apply(this, args);
  };
  process.on('exit', () => writeFileSync(log, String(queries)));
}
