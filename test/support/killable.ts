import { StoreError } from '../../src/adapters/store-errors.js';
import type { Store } from '../../src/adapters/store.js';
import { interceptedStore } from './intercepted-store.js';
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
      uploadedBytes: wrap(client.uploadedBytes.bind(client)),
      upload: wrap(client.upload.bind(client)),
      publishingLimit: wrap(client.publishingLimit.bind(client)),
      recentMedia: wrap(client.recentMedia.bind(client)),
      recentStories: wrap(client.recentStories.bind(client)),
      ...(client.comment === undefined ? {} : { comment: wrap(client.comment.bind(client)) }),
      ...(client.comments === undefined ? {} : { comments: wrap(client.comments.bind(client)) }),
      ...(client.mediaOwner === undefined ? {} : { mediaOwner: wrap(client.mediaOwner.bind(client)) }),
      close: () => client.close(),
    },
    kill: () => {
      killed = true;
    },
  };
}

/** The operations that write: a killed process makes none of them. */
const WRITES = new Set(['posts.create', 'posts.put', 'queue.claim', 'queue.renew', 'queue.save', 'queue.park', 'queue.finish', 'queue.release', 'ledger.recordPublish', 'outbox.claimDeliveries', 'outbox.delivered', 'outbox.retryAt']);

/**
 * A view of a store for one process that can be killed: after the kill,
 * every write it tries fails (a dead process writes nothing more); reads
 * and the store itself are untouched, for the next process.
 */
export function killableStore(store: Store): Killable<Store> {
  let killed = false;
  const target = interceptedStore(store, (op, proceed) =>
    killed && WRITES.has(op) ? Promise.reject(new StoreError('io', '', 'the process was killed (test)')) : proceed(),
  );
  return {
    target,
    kill: () => {
      killed = true;
    },
  };
}
