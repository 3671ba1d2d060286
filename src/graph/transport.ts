import type { Readable } from 'node:stream';
import { Pool, type Dispatcher } from 'undici';
import type { GraphStep } from './error-class.js';
import { TransportError, type Reached, type TransportFailure } from './transport-error.js';
import type { HeaderBag } from './usage.js';

/** Timeouts of one Graph API exchange, in milliseconds. */
export interface Timeouts {
  readonly connectMs: number;
  readonly headersMs: number;
  readonly bodyMs: number;
}

/** Defaults: generous enough for Instagram's slow answers, short enough to notice a dead peer. */
export const defaultTimeouts: Timeouts = { connectMs: 10_000, headersMs: 60_000, bodyMs: 30_000 };

/** One request as the transport sends it. */
export interface TransportRequest {
  readonly step: GraphStep;
  readonly method: 'GET' | 'POST';
  /** Path below the base URL, starting with `/`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>> | undefined;
  /** Sent as a JSON body. */
  readonly body?: unknown;
  /** Sent as the raw body instead (`application/octet-stream`), read as it goes: an upload's bytes. */
  readonly stream?: Readable | undefined;
  /** Headers of this request besides authorization and content type (an upload's `offset`, `file_size`, `file_url`). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Sends this token instead of the current one (a refresh sends the token it refreshes). */
  readonly token?: string | undefined;
}

/** A complete HTTP answer: status, headers and the whole body as text. */
export interface TransportAnswer {
  readonly status: number;
  readonly headers: HeaderBag;
  readonly text: string;
}

/** Settings of {@link createTransport}. */
export interface TransportOptions {
  readonly baseUrl: string;
  /** The token to send, asked for each request (an app may rotate it); never stored here. */
  readonly accessToken: () => Promise<string>;
  /** How the token is sent: `Bearer` to the Graph API (the default), `OAuth` to the upload host (docs/graph-api.md#resumable-upload). */
  readonly authScheme?: 'Bearer' | 'OAuth';
  readonly timeouts: Timeouts;
  /** Answers larger than this are refused as malformed. */
  readonly maxBodyBytes: number;
  /** Replaces the default keep-alive Pool (tests pass a MockAgent or a tracking dispatcher). */
  readonly dispatcher?: Dispatcher | undefined;
  /** Redacts secrets from any text that ends up in an error. */
  readonly redact: (text: string) => string;
}

/** Sends Graph API requests over one connection pool. */
export interface Transport {
  send(request: TransportRequest): Promise<TransportAnswer>;
  close(): Promise<void>;
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const own = (err as { code?: unknown }).code;
  if (typeof own === 'string') return own;
  return errorCode((err as { cause?: unknown }).cause);
}

/** Maps a low-level failure to what it says about the request: did it reach Instagram? */
function describeFailure(err: unknown, phase: 'request' | 'body'): { failure: TransportFailure; reached: Reached; code: string | undefined } {
  const code = errorCode(err);
  const name = err instanceof Error ? err.name : '';
  if (name === 'AbortError' || code === 'UND_ERR_ABORTED' || code === 'ABORT_ERR') return { failure: 'aborted', reached: 'maybe', code };
  if (code !== undefined && NOT_SENT.has(code)) {
    return { failure: code === 'UND_ERR_CONNECT_TIMEOUT' ? 'timeout' : 'connect', reached: 'no', code };
  }
  const reached: Reached = phase === 'body' ? 'yes' : 'maybe';
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return { failure: 'timeout', reached, code };
  return { failure: 'reset', reached, code };
}

async function readBody(body: Dispatcher.ResponseData['body'], maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * An undici transport: one keep-alive Pool for the base URL's origin, explicit
 * connect/headers/body timeouts, the token only in `Authorization: Bearer`.
 * Every failure becomes a {@link TransportError} that says whether the
 * request may have reached Instagram.
 */
export function createTransport(options: TransportOptions): Transport {
  const base = new URL(options.baseUrl);
  const prefix = base.pathname.replace(/\/+$/, '');
  const ownPool =
    options.dispatcher === undefined
      ? new Pool(base.origin, {
          connect: { timeout: options.timeouts.connectMs },
          headersTimeout: options.timeouts.headersMs,
          bodyTimeout: options.timeouts.bodyMs,
          keepAliveTimeout: 30_000,
          connections: 16,
        })
      : undefined;
  const dispatcher: Dispatcher = options.dispatcher ?? ownPool!;
  const headersOf = (request: TransportRequest, token: string): Record<string, string> => {
    const own = { authorization: `${options.authScheme ?? 'Bearer'} ${token}`, accept: 'application/json', ...request.headers };
    if (request.stream !== undefined) return { ...own, 'content-type': 'application/octet-stream' };
    return request.body === undefined ? own : { ...own, 'content-type': 'application/json' };
  };

  const fail = (request: TransportRequest, err: unknown, phase: 'request' | 'body'): TransportError => {
    const { failure, reached, code } = describeFailure(err, phase);
    const detail = options.redact(err instanceof Error ? err.message : String(err));
    return new TransportError({ failure, reached, step: request.step, detail, causeCode: code });
  };

  const tokenFor = async (request: TransportRequest): Promise<string> => {
    let token: unknown;
    try {
      token = await options.accessToken();
    } catch (err) {
      throw new TransportError({ failure: 'token', reached: 'no', step: request.step, detail: `the accessToken function failed (${err instanceof Error ? err.name : typeof err}; its message is not shown, as it may hold a secret)` });
    }
    if (typeof token !== 'string' || token === '') throw new TransportError({ failure: 'token', reached: 'no', step: request.step, detail: 'the accessToken function gave no token' });
    return token;
  };

  return {
    async send(request) {
      const search = request.query ? `?${new URLSearchParams(request.query).toString()}` : '';
      const token = request.token ?? (await tokenFor(request));
      let response: Dispatcher.ResponseData;
      try {
        response = await dispatcher.request({
          origin: base.origin,
          path: `${prefix}${request.path}${search}`,
          method: request.method,
          headers: headersOf(request, token),
          body: request.stream ?? (request.body === undefined ? undefined : JSON.stringify(request.body)),
          signal: request.signal,
          headersTimeout: options.timeouts.headersMs,
          bodyTimeout: options.timeouts.bodyMs,
        });
      } catch (err) {
        throw fail(request, err, 'request');
      }
      let text: string | undefined;
      try {
        text = await readBody(response.body, options.maxBodyBytes);
      } catch (err) {
        throw fail(request, err, 'body');
      }
      if (text === undefined) {
        throw new TransportError({
          failure: 'malformed-body',
          reached: 'yes',
          step: request.step,
          httpStatus: response.statusCode,
          detail: `answer larger than ${options.maxBodyBytes} bytes`,
        });
      }
      return { status: response.statusCode, headers: response.headers, text };
    },
    async close() {
      await ownPool?.close();
    },
  };
}
