import pg from 'pg';
import type { ClientConfig } from 'pg';
import { quoteIdentifier } from './identifiers.js';

/** Options of {@link notifyListener}. */
export interface NotifyListenerOptions {
  /** How to open the dedicated listening connection (a pool's own settings will do). */
  readonly connection: ClientConfig;
  /** The channel to LISTEN on. */
  readonly channel: string;
  /** First and longest wait (ms, real time) before reconnecting a lost listening connection. Default 100 and 5,000. */
  readonly retryMs?: { readonly first: number; readonly max: number };
}

/** Store.watch for PostgreSQL: LISTEN on one dedicated connection, shared by every subscriber. */
export interface NotifyListener {
  /** Calls `listener` on every notification of the channel, with the number it carries (the posts channel: a due time; the outcome channel: an outbox seq) and its raw payload (the brakes channel: a brake), neither after a lost connection, until unsubscribed; rejects when the connection cannot be opened. */
  watch(listener: (dueAt?: number, payload?: string) => void): Promise<() => Promise<void>>;
  /** Drops every subscriber and the connection. */
  close(): Promise<void>;
}

const ignore = (): void => undefined;

/**
 * A {@link NotifyListener}. The connection is opened by the first
 * subscriber and closed after the last one leaves; it is a client of its
 * own, not taken from the pool, so it never starves the store's queries.
 * When it is lost, every subscriber is woken at once (notifications may
 * have been missed) and it is reopened with a backoff, and subscribers are
 * woken again once it is back. A throwing subscriber does not stop the others.
 */
export function notifyListener(options: NotifyListenerOptions): NotifyListener {
  const { first, max } = options.retryMs ?? { first: 100, max: 5_000 };
  const listeners = new Set<(dueAt?: number, payload?: string) => void>();
  let client: pg.Client | undefined;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryDelay = first;
  let queue: Promise<unknown> = Promise.resolve();

  /** Runs opens and closes one at a time. */
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(ignore);
    return run;
  };

  const wakeAll = (dueAt?: number, payload?: string): void => {
    for (const listener of [...listeners]) {
      try {
        listener(dueAt, payload);
      } catch {
        // a subscriber's failure is its own business
      }
    }
  };

  const discard = (gone: pg.Client): void => {
    gone.removeAllListeners('notification');
    void gone.end().catch(ignore);
  };

  const scheduleRetry = (): void => {
    if (retryTimer || closed || listeners.size === 0) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (closed || listeners.size === 0) return;
      serial(open).then(() => wakeAll(), scheduleRetry);
    }, retryDelay);
    retryTimer.unref();
    retryDelay = Math.min(retryDelay * 2, max);
  };

  const lost = (gone: pg.Client): void => {
    if (client !== gone) return;
    client = undefined;
    discard(gone);
    if (closed || listeners.size === 0) return;
    wakeAll();
    scheduleRetry();
  };

  const open = async (): Promise<void> => {
    if (client || closed) return;
    const next = new pg.Client(options.connection);
    next.on('error', () => lost(next));
    next.on('end', () => lost(next));
    next.on('notification', (message) => {
      if (message.channel === options.channel) wakeAll(dueAtOf(message.payload), message.payload);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${quoteIdentifier(options.channel)}`);
    } catch (error) {
      discard(next);
      throw error;
    }
    client = next;
    retryDelay = first;
  };

  const shut = async (): Promise<void> => {
    if (listeners.size > 0 && !closed) return;
    clearTimeout(retryTimer);
    retryTimer = undefined;
    const current = client;
    client = undefined;
    if (current) {
      current.removeAllListeners('notification');
      await current.end().catch(ignore);
    }
  };

  return {
    async watch(listener) {
      if (closed) throw new Error('the store is closed');
      const subscriber = (dueAt?: number, payload?: string): void => listener(dueAt, payload); // one entry per subscription, even for the same function twice
      listeners.add(subscriber);
      try {
        await serial(open);
      } catch (error) {
        listeners.delete(subscriber);
        throw error;
      }
      let subscribed = true;
      return async () => {
        if (!subscribed) return;
        subscribed = false;
        listeners.delete(subscriber);
        if (listeners.size === 0) await serial(shut);
      };
    },
    async close() {
      closed = true;
      listeners.clear();
      await serial(shut);
    },
  };
}

/** The due time a notification carries: the post's `wake_at` (epoch ms), or none (due now, or a payload this code does not know). */
function dueAtOf(payload: string | undefined): number | undefined {
  if (payload === undefined || payload === '') return undefined;
  const at = Number(payload);
  return Number.isSafeInteger(at) ? at : undefined;
}
