import { createWebSocketInspector } from '@statelyai/inspect';
import { systemClock, type Clock } from '../time/clock.js';
import type { InspectCallback } from './sanitize-inspection.js';
import { StatelyFeed } from './stately-feed.js';

/** Options of {@link connectStatelyInspector}. */
export interface StatelyInspectorOptions {
  /** The local Stately inspector server (`@statelyai/inspect/server`); default {@link DEFAULT_INSPECTOR_URL}. */
  readonly url?: string;
  /** Connect at once (default true); otherwise call `start()`. */
  readonly autoStart?: boolean;
  /** How long to wait before trying an unreachable or lost server again; default 5 s. */
  readonly retryMs?: number;
  /** How many messages the server replays to a late viewer; default 200, as `createInspectorServer()` keeps. */
  readonly replayWindow?: number;
  /** Time for the messages' `createdAt` (default the system clock). */
  readonly clock?: Clock;
}

/** A live link to a Stately inspector server. */
export interface StatelyInspector {
  /** Pass as XState's `inspect` option, or as the engine's `inspector`. Never throws; does nothing once stopped. */
  readonly inspect: InspectCallback;
  /** Connects (when created with `autoStart: false`); idempotent. */
  start(): void;
  /** Closes the connection and cancels any reconnection; idempotent. An engine given this inspector calls it on `shutdown()`. */
  stop(): void;
}

/** Where `createInspectorServer()` from `@statelyai/inspect/server` listens by default. */
export const DEFAULT_INSPECTOR_URL = 'ws://localhost:8080';

/** How long to wait before trying an unreachable inspector again. */
const RETRY_MS = 5_000;
/** What `createInspectorServer()` replays to a viewer that connects late. */
const REPLAY_WINDOW = 200;
/** WebSocket's OPEN ready state. */
const OPEN = 1;

/** The WebSocket the library's adapter holds (a private field: read defensively). */
interface AdapterSocket {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  send(data: string): void;
}

const socketOf = (adapter: unknown): AdapterSocket | undefined => {
  const ws = typeof adapter === 'object' && adapter !== null && 'ws' in adapter ? adapter.ws : undefined;
  return typeof ws === 'object' && ws !== null && 'onerror' in ws && 'onclose' in ws && 'onopen' in ws && 'send' in ws && typeof ws.send === 'function' ? (ws as AdapterSocket) : undefined;
};

/** Empties the library adapter's own buffer, which it would replay on every open (read defensively). */
const dropDeferred = (adapter: unknown): void => {
  const deferred = typeof adapter === 'object' && adapter !== null && 'deferredEvents' in adapter ? adapter.deferredEvents : undefined;
  if (Array.isArray(deferred)) deferred.length = 0;
};

function checkedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError(`igflow: the Stately inspector URL '${url}' is not a URL (expected ws://host:port)`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new TypeError(`igflow: the Stately inspector URL '${url}' must start with ws:// or wss://`);
  if (parsed.hash !== '') throw new TypeError(`igflow: the Stately inspector URL '${url}' must not have a #fragment`);
  return url;
}

/**
 * Streams the inspection events of the actors it is given to a local Stately
 * inspector server over a WebSocket, in `@statelyai/inspect`'s format; it
 * never opens a browser. Start the server with `createInspectorServer()`
 * from `@statelyai/inspect/server` (it frames https://stately.ai/inspect,
 * so viewing needs the internet), then give the connection to an engine,
 * which stops it on `shutdown()`:
 *
 * ```ts
 * const engine = createEngine({ store, graph, inspector: connectStatelyInspector() });
 * ```
 *
 * or use it by hand: `createActor(machine, { inspect: sanitizeInspection(inspector.inspect, [token]) })`,
 * then `inspector.stop()`.
 *
 * What is sent (see {@link StatelyFeed}): the machines only (post, stories,
 * carousel, container; the helper actors of the effects are left out), a
 * post's root actor named by its key, or its post id when it has none
 * (through the engine). Nothing is buffered while the server is away: on
 * every (re)connection each live machine is registered again with its
 * current snapshot, then only new events follow, and registrations are
 * repeated often enough that a viewer opened late still finds every live
 * machine in the server's replay of its last 200 messages.
 *
 * An inspector that is not running never breaks publishing: connection
 * errors are swallowed and the connection is retried every `retryMs` on an
 * unref'd timer, so it never keeps the process alive. This replaces the
 * library's own retry, which reconnects forever on a timer that holds the
 * process open and that `stop()` does not cancel, and its buffer, which it
 * replays on every reconnection. Throws only for a URL that is not ws:// or wss://.
 */
export function connectStatelyInspector(options: StatelyInspectorOptions = {}): StatelyInspector {
  const url = checkedUrl(options.url ?? DEFAULT_INSPECTOR_URL);
  const retryMs = options.retryMs ?? RETRY_MS;
  const clock = options.clock ?? systemClock;
  const inspector = createWebSocketInspector({ url, autoStart: false });
  let phase: 'idle' | 'running' | 'stopped' = 'idle';
  let retry: NodeJS.Timeout | undefined;
  let socket: AdapterSocket | undefined;

  const feed = new StatelyFeed({
    connected: () => phase === 'running' && socket !== undefined && socket.readyState === OPEN,
    send: (text) => {
      try {
        socket?.send(text);
      } catch {
        // a socket closing under us: the next open registers everything again
      }
    },
    now: () => clock.now(),
    replayWindow: options.replayWindow ?? REPLAY_WINDOW,
  });

  const scheduleRetry = (): void => {
    if (phase !== 'running' || retry !== undefined) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect();
    }, retryMs);
    retry.unref();
  };

  function connect(): void {
    if (phase !== 'running') return;
    socket = undefined;
    dropDeferred(inspector.adapter);
    try {
      inspector.adapter.start();
    } catch {
      scheduleRetry();
      return;
    }
    const opened = socketOf(inspector.adapter);
    if (opened === undefined) return; // the library changed shape: nothing is sent
    socket = opened;
    const markClosed = opened.onclose;
    opened.onopen = () => {
      if (socket !== opened) return;
      // the library's own onopen would replay its buffer: the feed registers what is live instead
      feed.resync();
    };
    opened.onerror = () => undefined; // a 'close' always follows
    opened.onclose = (event) => {
      markClosed?.call(opened, event);
      if (socket === opened) socket = undefined;
      scheduleRetry();
    };
  }

  const start = (): void => {
    if (phase !== 'idle') return;
    phase = 'running';
    connect();
  };
  if (options.autoStart !== false) start();

  return {
    inspect: (event) => {
      if (phase === 'stopped') return;
      try {
        feed.take(event);
      } catch {
        // Inspection is best effort: it must never break the actor it watches.
      }
    },
    start,
    stop: () => {
      if (phase === 'stopped') return;
      phase = 'stopped';
      clearTimeout(retry);
      retry = undefined;
      socket = undefined;
      feed.clear();
      try {
        inspector.stop();
      } catch {
        // Closing a socket that never opened is not worth a crash.
      }
    },
  };
}
