import { Agent, interceptors, type Dispatcher } from 'undici';
import type { Clock } from '../time/clock.js';

/** How one media URL is read: at most `maxBytes`, within `timeoutMs` from connect to last byte, through at most `maxRedirects` redirects. */
export interface HeadRead {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  readonly maxRedirects: number;
  /** The dispatcher the GET goes through (redirects are followed on top of it). */
  readonly dispatcher: Dispatcher;
  /** The clock the total deadline runs on. */
  readonly clock: Clock;
}

/**
 * The first bytes of a media, as the server sent them: `bytes` (at most
 * the bound), the file's whole size when the server says it (`Content-Range`'s
 * total, else `Content-Length` of a full answer), or why it could not be read.
 */
export type MediaHead =
  | { readonly ok: true; readonly bytes: Buffer; readonly totalBytes: number | undefined }
  | { readonly ok: false; readonly reason: string };

const rangeTotal = /\/(\d+)\s*$/;

function headerOf(headers: Dispatcher.ResponseData['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function totalOf(status: number, headers: Dispatcher.ResponseData['headers']): number | undefined {
  const range = headerOf(headers, 'content-range');
  const fromRange = range === undefined ? undefined : rangeTotal.exec(range)?.[1];
  if (status === 206) return fromRange === undefined ? undefined : Number(fromRange);
  const length = headerOf(headers, 'content-length');
  return length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined;
}

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const own = (err as { code?: unknown }).code;
  return typeof own === 'string' ? own : codeOf((err as { cause?: unknown }).cause);
}

/** A dispatcher of igflow's own for media checks: connect bounded by the same time as the whole read. */
export function mediaAgent(timeoutMs: number): Agent {
  return new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, connections: 4 });
}

/**
 * Reads the first bytes of a media URL with a ranged GET (`Range:
 * bytes=0-N`). A server that ignores the range is read only up to the
 * bound, then the connection is dropped. Bounded in bytes and in time (the
 * clock aborts the read at `timeoutMs`; undici's headers and body timeouts
 * are the same); redirects are followed at most `maxRedirects` times.
 * Never throws: a refused connection, a timeout, an HTTP error or too many
 * redirects is `{ ok: false, reason }`.
 */
export async function readMediaHead(url: string, read: HeadRead): Promise<MediaHead> {
  const target = new URL(url);
  const controller = new AbortController();
  let timedOut = false;
  const deadline = read.clock.schedule(() => {
    timedOut = true;
    controller.abort();
  }, read.timeoutMs);
  const dispatcher = read.dispatcher.compose(interceptors.redirect({ maxRedirections: read.maxRedirects }));
  try {
    const response = await dispatcher.request({
      origin: target.origin,
      path: `${target.pathname}${target.search}`,
      method: 'GET',
      headers: { range: `bytes=0-${read.maxBytes - 1}`, accept: '*/*', 'user-agent': 'igflow-media-check' },
      signal: controller.signal,
      headersTimeout: read.timeoutMs,
      bodyTimeout: read.timeoutMs,
    });
    // dropping the body early is an abort, not an error of the check
    response.body.on('error', () => undefined);
    if (response.statusCode >= 300) {
      response.body.destroy();
      return { ok: false, reason: response.statusCode < 400 ? `redirected more than ${read.maxRedirects} times` : `answered HTTP ${response.statusCode}` };
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= read.maxBytes) break;
    }
    response.body.destroy();
    return { ok: true, bytes: Buffer.concat(chunks).subarray(0, read.maxBytes), totalBytes: totalOf(response.statusCode, response.headers) };
  } catch (err) {
    if (timedOut) return { ok: false, reason: `did not answer within ${read.timeoutMs} ms` };
    const code = codeOf(err);
    if (err instanceof Error && /redirect loop/i.test(err.message)) return { ok: false, reason: 'redirects in a loop' };
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return { ok: false, reason: `did not answer within ${read.timeoutMs} ms` };
    return { ok: false, reason: `could not be reached (${code ?? (err instanceof Error ? err.message : String(err))})` };
  } finally {
    deadline.unsubscribe();
  }
}
