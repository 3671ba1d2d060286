import type { Store } from '../../src/adapters/store.js';

/** Runs one store operation (`op` is `queue.claim`, `posts.get`…, called with `args`): call `proceed` to reach the real store, or don't. */
export type StoreInterceptor = (op: string, proceed: () => Promise<unknown>, args: readonly unknown[]) => Promise<unknown>;

/**
 * A store whose every operation of its posts, queue, ledger and outbox goes
 * through `intercept` first: the one way test decorators (held, flaky,
 * killable) wrap a real store without faking any of it.
 */
export function interceptedStore(store: Store, intercept: StoreInterceptor): Store {
  const part = <T extends object>(name: string, target: T): T =>
    new Proxy(target, {
      get(base, method, receiver) {
        const value = Reflect.get(base, method, receiver) as unknown;
        if (typeof value !== 'function') return value;
        const call = value as (...args: unknown[]) => Promise<unknown>;
        const op = `${name}.${String(method)}`;
        return (...args: unknown[]) => intercept(op, () => call.apply(base, args), args);
      },
    });
  return { posts: part('posts', store.posts), queue: part('queue', store.queue), ledger: part('ledger', store.ledger), brakes: part('brakes', store.brakes), outbox: part('outbox', store.outbox), close: () => store.close() };
}
