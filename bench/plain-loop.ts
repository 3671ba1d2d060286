import { Pool, request } from 'undici';
import { DEFAULT_API_VERSION } from '../src/graph/graph-options.js';
import { DEFAULT_ACCOUNT } from '../src/sim/simulator.js';
import { runBounded } from './bounded.js';
import { imageParams } from './specs.js';
import { measure, type Timing } from './timing.js';

/** Options of {@link publishPlain}. */
export interface PlainOptions {
  readonly baseUrl: string;
  readonly posts: number;
  /** Posts in flight at once. */
  readonly concurrency: number;
  /** Names this run's media URLs and captions. */
  readonly tag: string;
  /** Wait between two status reads of a container that is not FINISHED yet. */
  readonly pollMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The floor the engine is compared with: each post is the same three Graph
 * calls the engine makes (create the container, read its status until
 * FINISHED, publish it) with undici's `request`, the token as a Bearer
 * header, JSON parsed, and nothing stored. It uses the same kind of
 * keep-alive Pool as igflow's transport (16 connections, src/graph/transport.ts),
 * so both sides have the same connections to the server. Resolves to the
 * time from the first request to the last publish (opening and closing the
 * pool left out, as for the engine).
 */
export async function publishPlain(options: PlainOptions): Promise<Timing> {
  const origin = new URL(options.baseUrl).origin;
  const pool = new Pool(origin, { connections: 16, keepAliveTimeout: 30_000 });
  const v = DEFAULT_API_VERSION;
  const user = encodeURIComponent(DEFAULT_ACCOUNT.igUserId);
  const auth = { authorization: `Bearer ${DEFAULT_ACCOUNT.token}`, accept: 'application/json' };

  const call = async (method: 'GET' | 'POST', path: string, body?: object): Promise<Record<string, unknown>> => {
    const response = await request(`${origin}${path}`, {
      dispatcher: pool,
      method,
      headers: body === undefined ? auth : { ...auth, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await response.body.json()) as Record<string, unknown>;
    if (response.statusCode !== 200) throw new Error(`${method} ${path}: HTTP ${response.statusCode} ${JSON.stringify(answer)}`);
    return answer;
  };

  const publishOne = async (index: number): Promise<void> => {
    const created = await call('POST', `/${v}/${user}/media`, imageParams(options.tag, index));
    const containerId = String(created.id);
    for (;;) {
      const status = await call('GET', `/${v}/${encodeURIComponent(containerId)}?fields=status_code,status,id`);
      if (status.status_code === 'FINISHED') break;
      if (status.status_code !== 'IN_PROGRESS') throw new Error(`container ${containerId}: ${JSON.stringify(status)}`);
      await sleep(options.pollMs);
    }
    const published = await call('POST', `/${v}/${user}/media_publish`, { creation_id: containerId });
    if (typeof published.id !== 'string') throw new Error(`publish of ${containerId}: no media id`);
  };

  try {
    return await measure(() => runBounded(options.posts, options.concurrency, publishOne));
  } finally {
    await pool.close();
  }
}
