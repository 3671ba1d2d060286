import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromSim, SimCounts, SimProgress, SimPublished, SimSetup, ToSim } from './sim-messages.js';

/** A simulator running in its own process (see sim-child.ts). */
export interface SimProcess {
  readonly url: string;
  /** The simulator process's id, to read its CPU time. */
  readonly pid: number | undefined;
  /** The record's counts right now. */
  counts(): Promise<SimCounts>;
  /** The record's sizes right now (cheap: no walk over the requests). */
  progress(): Promise<SimProgress>;
  /** The publishes of containers whose caption starts with `captionPrefix`. */
  published(captionPrefix: string): Promise<SimPublished>;
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./sim-child.ts', import.meta.url));

/** The next message of `type` from the child. */
function nextMessage<T extends FromSim['type']>(child: ChildProcess, type: T): Promise<Extract<FromSim, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromSim) => {
      if (message.type !== type) return;
      cleanup();
      resolve(message as Extract<FromSim, { type: T }>);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`the simulator process exited (code ${code})`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/** Forks the simulator process, set up as `setup` says (default: no delays), and resolves once it listens. */
export async function startSimProcess(setup: SimSetup = {}): Promise<SimProcess> {
  const child = fork(CHILD, [JSON.stringify(setup)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const send = (message: ToSim) => child.send(message);
  /** Sends `message` and resolves to the child's answer of type `type`. */
  const ask = async <T extends FromSim['type']>(message: ToSim, type: T) => {
    const reply = nextMessage(child, type);
    send(message);
    return reply;
  };
  const { url } = await nextMessage(child, 'ready');
  return {
    url,
    pid: child.pid,
    counts: async () => (await ask({ type: 'counts' }, 'counts')).counts,
    progress: async () => (await ask({ type: 'progress' }, 'progress')).progress,
    published: async (captionPrefix) => (await ask({ type: 'published', captionPrefix }, 'published')).published,
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      send({ type: 'close' });
      await exited;
    },
  };
}
