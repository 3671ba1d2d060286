import { StoreError, type Store } from '../../src/adapters/store.js';
import type { GraphClient } from '../../src/graph/client.js';

/** A Graph client that can be killed: from then on no call reaches Instagram, and answers still on their way are lost. */
export interface Killable<T> {
  readonly target: T;
  kill(): void;
}

/**
 * Wraps a Graph client so a test can kill the process that owns it, as
 * SIGKILL would: calls made after the kill never leave (they reject), and a
 * call in flight at the kill may reach Instagram but its answer is lost.
 */
export function killableClient(client: GraphClient): Killable<GraphClient> {
  let killed = false;
  const dead = () => new Error('the process was killed (test)');
  const wrap = <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      if (killed) throw dead();
      const result = await call(...args);
      if (killed) throw dead();
      return result;
    };
  return {
    target: {
      igUserId: client.igUserId,
      login: client.login,
      createContainer: wrap(client.createContainer.bind(client)),
      containerStatus: wrap(client.containerStatus.bind(client)),
      publish: wrap(client.publish.bind(client)),
      publishingLimit: wrap(client.publishingLimit.bind(client)),
      recentMedia: wrap(client.recentMedia.bind(client)),
      recentStories: wrap(client.recentStories.bind(client)),
      close: () => client.close(),
    },
    kill: () => {
      killed = true;
    },
  };
}

const WRITES = new Set<keyof Store>(['create', 'put', 'lease', 'release', 'claimDue', 'recordPublish']);

/**
 * A view of a store for one process that can be killed: after the kill,
 * every write it tries fails (a dead process writes nothing more); reads
 * and the store itself are untouched, for the next process.
 */
export function killableStore(store: Store): Killable<Store> {
  let killed = false;
  const target = new Proxy(store, {
    get(base, name, receiver) {
      const value = Reflect.get(base, name, receiver) as unknown;
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        if (killed && WRITES.has(name as keyof Store)) return Promise.reject(new StoreError('io', '', 'the process was killed (test)'));
        return method.apply(base, args);
      };
    },
  });
  return {
    target,
    kill: () => {
      killed = true;
    },
  };
}
