import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Store } from '../adapters/store.js';
import { systemClock, type Clock } from '../time/clock.js';
import { eventStream } from './event-stream.js';
import { pageHtml } from './page-html.js';
import { pageScript } from './page-script.js';
import { pageStyle } from './page-style.js';
import { postFeed, type FeedChange } from './post-feed.js';
import { refusal } from './request-gate.js';
import { parseWatchSettings } from './watch-options.js';

/** Options of {@link createWatchServer}. */
export interface WatchServerOptions {
  /** The store to show (file, PostgreSQL or memory); read only, never closed by the server. */
  readonly store: Store;
  /** Where to listen (default 127.0.0.1). Any other host than loopback needs `token`. */
  readonly host?: string;
  /** The TCP port (default 0: a free one). */
  readonly port?: number;
  /** A bearer secret (at least 16 characters) the page asks for and every data request must carry. */
  readonly token?: string;
  /** How often the store is read (ms, default 300). */
  readonly pollMs?: number;
  /** The clock of the polls and of the `now` the page counts down from (default: the system clock). */
  readonly clock?: Clock;
}

/** A running watch server. */
export interface WatchServer {
  /** Its base URL, e.g. `http://127.0.0.1:43117/`. */
  readonly url: string;
  /** Ends every open page's stream, stops reading the store and closes the socket. */
  close(): Promise<void>;
}

/** How often an idle event stream gets a comment line (ms). */
const PING_MS = 15_000;

const securityHeaders = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const;

function answer(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { ...securityHeaders, 'content-type': `${type}; charset=utf-8`, 'content-length': Buffer.byteLength(body) });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

/**
 * A live view of a store's posts over HTTP, for apps and `igflow watch`:
 * the page (`/`, with `/watch.js` and `/watch.css`, all served here: no
 * CDN, no internet), the cards as JSON (`/api/posts`) and a server-sent
 * event stream (`/api/events`) that starts with every post as the store
 * holds it now and then sends each change within one poll of the store.
 * Works across processes: it reads the store, not an engine. Read-only.
 * Throws a WatchOptionsError for a host other than loopback without a token.
 */
export async function createWatchServer(options: WatchServerOptions): Promise<WatchServer> {
  const settings = parseWatchSettings({
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.token === undefined ? {} : { token: options.token }),
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
  });
  const clock = options.clock ?? systemClock;
  const feed = postFeed(options.store, { clock, pollMs: settings.pollMs });
  const streams = new Set<() => void>();
  const page = pageHtml({ auth: settings.token !== undefined });

  const openStream = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const stream = eventStream(response);
    let ready = false;
    // a change seen before this page's first read of the store is in that read: the feed reads one at a time
    const stop = feed.subscribe((change) => {
      if (ready) send(change);
    });
    const send = (change: FeedChange): void => {
      if (change.type === 'post') stream.send('post', { now: clock.now(), post: change.post });
      else if (change.type === 'gone') stream.send('gone', { now: clock.now(), postId: change.postId });
      else stream.send('problem', { now: clock.now(), message: change.message });
    };
    let ping: { unsubscribe(): void } | undefined;
    const keepAlive = (): void => {
      ping = clock.schedule(() => {
        stream.ping();
        keepAlive();
      }, PING_MS);
    };
    const end = (): void => {
      stop();
      ping?.unsubscribe();
      streams.delete(end);
      stream.end();
    };
    streams.add(end);
    request.once('close', end);
    const posts = await feed.refresh();
    stream.send('posts', { now: clock.now(), posts, problem: feed.problem() });
    ready = true;
    keepAlive();
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const refused = refusal(request, settings.token);
    if (refused !== undefined) {
      response.setHeader('www-authenticate', 'Bearer');
      answer(response, refused.status, 'application/json', JSON.stringify({ error: refused.reason }));
      return;
    }
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/' || path === '/index.html') answer(response, 200, 'text/html', page);
    else if (path === '/watch.js') answer(response, 200, 'text/javascript', pageScript);
    else if (path === '/watch.css') answer(response, 200, 'text/css', pageStyle);
    else if (path === '/api/posts') answer(response, 200, 'application/json', JSON.stringify({ now: clock.now(), posts: await feed.refresh() }));
    else if (path === '/api/events') await openStream(request, response);
    else answer(response, 404, 'application/json', JSON.stringify({ error: 'no such page' }));
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) answer(response, 500, 'application/json', JSON.stringify({ error: 'the view could not answer' }));
      else response.end();
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(settings.port, settings.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await feed.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    async close() {
      for (const end of [...streams]) end();
      await feed.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
