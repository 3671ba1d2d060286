import { createWebSocketInspector } from '@statelyai/inspect';
import type { InspectCallback } from './sanitize-inspection.js';

/** Options of {@link connectStatelyInspector}. */
export interface StatelyInspectorOptions {
  /** The local Stately inspector server (`@statelyai/inspect/server`); default {@link DEFAULT_INSPECTOR_URL}. */
  readonly url?: string;
  /** Connect at once (default true); otherwise call `start()`. */
  readonly autoStart?: boolean;
}

/** A live link to a Stately inspector server. */
export interface StatelyInspector {
  /** Pass as XState's `inspect` option. Never throws; does nothing once stopped. */
  readonly inspect: InspectCallback;
  /** Connects (when created with `autoStart: false`); idempotent. */
  start(): void;
  /** Closes the connection and cancels any reconnection; idempotent. */
  stop(): void;
}

/** Where `createInspectorServer()` from `@statelyai/inspect/server` listens by default. */
export const DEFAULT_INSPECTOR_URL = 'ws://localhost:8080';

/** How long to wait before trying an unreachable inspector again. */
const RETRY_MS = 5_000;

/** The WebSocket the library's adapter holds (a private field: read defensively). */
interface AdapterSocket {
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
}

const socketOf = (adapter: unknown): AdapterSocket | undefined => {
  const ws = typeof adapter === 'object' && adapter !== null && 'ws' in adapter ? adapter.ws : undefined;
  return typeof ws === 'object' && ws !== null && 'onerror' in ws && 'onclose' in ws ? (ws as AdapterSocket) : undefined;
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
 * inspector server over a WebSocket (`createWebSocketInspector`); it never
 * opens a browser. Start the server with `createInspectorServer()` from
 * `@statelyai/inspect/server`, then:
 *
 * ```ts
 * const inspector = connectStatelyInspector();
 * createActor(machine, { inspect: sanitizeInspection(inspector.inspect, [token]) });
 * // … later
 * inspector.stop();
 * ```
 *
 * An inspector that is not running never breaks publishing: connection
 * errors are swallowed, events wait in the library's buffer (the latest
 * 200), and the connection is retried every 5 s on an unref'd timer, so it
 * never keeps the process alive. This replaces the library's own retry,
 * which reconnects forever on a timer that holds the process open and that
 * `stop()` does not cancel. Throws only for a URL that is not ws:// or wss://.
 */
export function connectStatelyInspector(options: StatelyInspectorOptions = {}): StatelyInspector {
  const url = checkedUrl(options.url ?? DEFAULT_INSPECTOR_URL);
  const inspector = createWebSocketInspector({ url, autoStart: false });
  let phase: 'idle' | 'running' | 'stopped' = 'idle';
  let retry: NodeJS.Timeout | undefined;

  const scheduleRetry = (): void => {
    if (phase !== 'running' || retry !== undefined) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect();
    }, RETRY_MS);
    retry.unref();
  };

  function connect(): void {
    if (phase !== 'running') return;
    try {
      inspector.adapter.start();
    } catch {
      scheduleRetry();
      return;
    }
    const socket = socketOf(inspector.adapter);
    if (socket === undefined) return; // the library changed shape: it keeps its own retry
    const markClosed = socket.onclose;
    socket.onerror = () => undefined; // a 'close' always follows
    socket.onclose = (event) => {
      markClosed?.call(socket, event);
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
        inspector.inspect.next?.(event);
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
      try {
        inspector.stop();
      } catch {
        // Closing a socket that never opened is not worth a crash.
      }
    },
  };
}
