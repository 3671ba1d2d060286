import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isLoopback } from './watch-options.js';

/** Why a request is refused: its HTTP status and a short reason (never quoting what the request sent). */
export interface Refusal {
  readonly status: number;
  readonly reason: string;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Who may read the view. Read-only: anything but GET and HEAD is refused.
 * Data (`/api/…`) needs `Authorization: Bearer <token>` when the server has
 * a watch token. Without a token the server is on loopback, and a request
 * whose Host header names another host (a DNS-rebinding page) is refused.
 */
export function refusal(request: IncomingMessage, token: string | undefined): Refusal | undefined {
  if (request.method !== 'GET' && request.method !== 'HEAD') return { status: 405, reason: 'igflow watch is read-only' };
  if (token === undefined) {
    const host = (request.headers.host ?? '').replace(/:\d+$/, '');
    if (!isLoopback(host)) return { status: 403, reason: 'this view answers requests for 127.0.0.1 only' };
    return undefined;
  }
  if (!(request.url ?? '/').startsWith('/api/')) return undefined;
  const header = request.headers.authorization ?? '';
  const given = header.startsWith('Bearer ') ? header.slice(7) : '';
  return sameSecret(given, token) ? undefined : { status: 401, reason: 'this view needs its watch token' };
}
