import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';

/** The little of `ws`'s client the tests use (the package ships no types here; `@statelyai/inspect` depends on it). */
interface RawSocket {
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
  on(event: 'open' | 'close', listener: () => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  close(): void;
}

const require = createRequire(import.meta.url);
const { WebSocket } = require('ws') as { WebSocket: new (url: string) => RawSocket };

/** What a viewer knows of one actor: its last registration and its latest snapshot. */
export interface ViewedActor {
  readonly sessionId: string;
  readonly name: string;
  readonly definition: string;
  readonly parentId: string | undefined;
  snapshot: { readonly status?: string; readonly value?: unknown; readonly output?: unknown };
}

/** A message as the inspector's format has it. */
export interface InspectorMessage {
  readonly type: string;
  readonly sessionId: string;
  readonly name?: string;
  readonly definition?: string;
  readonly parentId?: string;
  readonly snapshot?: ViewedActor['snapshot'];
}

/** A client of a Stately inspector server, as the inspector page is: it receives every message, raw. */
export interface Viewer {
  /** Every message received, as the raw text sent. */
  readonly raw: string[];
  /** The messages, parsed. */
  messages(): InspectorMessage[];
  /** Every actor registered so far, by session id, with its latest snapshot (what a viewer would draw). */
  actors(): Map<string, ViewedActor>;
  /** Resolves once `check` holds on what was received (checked on every message); rejects after `ms` saying `what`. */
  until(what: string, check: () => boolean, ms?: number): Promise<void>;
  close(): void;
}

/** Connects a viewer to `url`, trying again while the server is not up yet (for at most 10 s). */
export async function connectViewer(url: string): Promise<Viewer> {
  const raw: string[] = [];
  const waiters = new Set<() => void>();
  const socket = await new Promise<RawSocket>((resolve, reject) => {
    const started = Date.now();
    const attempt = () => {
      const ws = new WebSocket(url);
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        raw.push(data.toString());
        for (const waiter of [...waiters]) waiter();
      });
      ws.on('open', () => resolve(ws));
      ws.on('error', (err) => {
        if (Date.now() - started > 10_000) reject(err);
        else setTimeout(attempt, 20);
      });
    };
    attempt();
  });
  const messages = () => raw.map((text) => JSON.parse(text) as InspectorMessage);
  return {
    raw,
    messages,
    actors() {
      const seen = new Map<string, ViewedActor>();
      for (const message of messages()) {
        if (message.type === '@xstate.actor') {
          seen.set(message.sessionId, { sessionId: message.sessionId, name: message.name ?? '', definition: message.definition ?? '', parentId: message.parentId, snapshot: message.snapshot ?? {} });
        } else if (message.type === '@xstate.snapshot') {
          const known = seen.get(message.sessionId);
          if (known !== undefined && message.snapshot !== undefined) known.snapshot = message.snapshot;
        }
      }
      return seen;
    },
    until(what, check, ms = 10_000) {
      if (check()) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`the viewer never saw ${what} (${raw.length} messages)`));
        }, ms);
        const waiter = () => {
          if (!check()) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve();
        };
        waiters.add(waiter);
      });
    },
    close: () => socket.close(),
  };
}

/** A loopback port nothing listens on (at the time asked). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** `createInspectorServer()` of `@statelyai/inspect/server` in a child process (so that it can die like a real one), on `port`. */
export function inspectorServerProcess(port: number, cwd: string): { readonly child: ChildProcess; kill(): Promise<void> } {
  const script = `import('@statelyai/inspect/server').then((m) => m.createInspectorServer({ port: ${port}, autoOpen: false }));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    kill: () => {
      child.kill('SIGKILL');
      return exited;
    },
  };
}
