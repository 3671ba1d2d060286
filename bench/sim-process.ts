import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromSim, SimCounts, ToSim } from './sim-messages.js';

/** A simulator running in its own process (see sim-child.ts). */
export interface SimProcess {
  readonly url: string;
  /** The record's counts right now. */
  counts(): Promise<SimCounts>;
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

/** Forks the simulator process and resolves once it listens. */
export async function startSimProcess(): Promise<SimProcess> {
  const child = fork(CHILD, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const send = (message: ToSim) => child.send(message);
  const { url } = await nextMessage(child, 'ready');
  return {
    url,
    async counts() {
      const reply = nextMessage(child, 'counts');
      send({ type: 'counts' });
      return (await reply).counts;
    },
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      send({ type: 'close' });
      await exited;
    },
  };
}
