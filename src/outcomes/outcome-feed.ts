import { Observable, Subject, type Subscriber } from 'rxjs';
import type { Outbox, PostRepository } from '../adapters/store.js';
import type { Clock } from '../time/clock.js';
import { PostInterrupted, PostUnavailable } from '../engine/post-errors.js';
import { outcomeOfEntry, type PostOutcomeEvent } from './outcome-event.js';

/** Options of {@link outcomeFeed}. */
export interface OutcomeFeedOptions {
  readonly outbox: Outbox;
  readonly posts: PostRepository;
  readonly clock: Clock;
  /** How often a store that polls (the file store) is looked at. */
  readonly pollMs: number;
  /** Tells a follow that could not be started or stopped. */
  readonly problem: (message: string) => void;
}

/** The outcomes of the store's posts, as the engine hands them out. */
export interface OutcomeFeed {
  /** Every outcome the store records from the first subscription on, in any process sharing it; completes at `close()`. */
  readonly outcomes$: Observable<PostOutcomeEvent>;
  /** One post's outcome (by post id or idempotency key), also when it finished before the call; then completes. */
  watch(idOrPostId: string): Observable<PostOutcomeEvent>;
  /** Stops following the store; `outcomes$` completes and unfinished watches fail with PostInterrupted. */
  close(): Promise<void>;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Follows the store's outbox ({@link Outbox.follow}) while anyone listens:
 * the first subscriber starts the follow, the last one to leave stops it.
 * A watch subscribes first, then reads the post, so an outcome written in
 * between is never missed.
 */
export function outcomeFeed(options: OutcomeFeedOptions): OutcomeFeed {
  const subject = new Subject<PostOutcomeEvent>();
  let listeners = 0;
  let following: Promise<(() => Promise<void>) | undefined> | undefined;
  let closed = false;

  const start = (): Promise<unknown> => {
    following ??= options.outbox
      .follow((entry) => subject.next(outcomeOfEntry(entry)), { clock: options.clock, pollMs: options.pollMs })
      .catch((error: unknown) => {
        options.problem(`cannot follow the store's outcomes: ${messageOf(error)}`);
        following = undefined;
        return undefined;
      });
    return following;
  };
  const stop = async (): Promise<void> => {
    const current = following;
    following = undefined;
    const unfollow = await current;
    await unfollow?.().catch((error: unknown) => options.problem(`cannot stop following the store's outcomes: ${messageOf(error)}`));
  };
  /** Counts a listener in while `inner` is subscribed. */
  const counted = <T>(inner: (subscriber: Subscriber<T>) => () => void): Observable<T> =>
    new Observable<T>((subscriber) => {
      if (closed) {
        subscriber.complete();
        return undefined;
      }
      listeners += 1;
      void start();
      const teardown = inner(subscriber);
      return () => {
        teardown();
        listeners -= 1;
        if (listeners === 0 && !closed) void stop();
      };
    });

  const outcomes$ = counted<PostOutcomeEvent>((subscriber) => {
    const inner = subject.subscribe(subscriber);
    return () => inner.unsubscribe();
  });

  return {
    outcomes$,
    watch: (idOrPostId) =>
      counted<PostOutcomeEvent>((subscriber) => {
        let postId: string | undefined;
        let done = false;
        const finish = (event: PostOutcomeEvent): void => {
          if (done) return;
          done = true;
          subscriber.next(event);
          subscriber.complete();
        };
        const early: PostOutcomeEvent[] = [];
        const inner = subject.subscribe({
          next: (event) => {
            if (postId === undefined) early.push(event);
            else if (event.postId === postId) finish(event);
          },
          complete: () => {
            if (!done) subscriber.error(new PostInterrupted(postId ?? idOrPostId, 'the engine shut down before the post finished'));
          },
        });
        void (async () => {
          await start();
          const post = (await options.posts.get(idOrPostId).catch(() => undefined)) ?? (await options.posts.findByKey(idOrPostId));
          if (post === undefined) throw new PostUnavailable(idOrPostId, undefined, `no post ${idOrPostId} (by post id or idempotency key) in the store`);
          postId = post.postId;
          for (const event of early.splice(0)) if (event.postId === postId) finish(event);
          if (post.status !== 'active') {
            finish(outcomeOfEntry({ id: `${post.postId}@stored`, postId: post.postId, ...(post.key === undefined ? {} : { key: post.key }), account: post.account, status: post.status, ...(post.result === undefined ? {} : { result: post.result }), at: post.updatedAt }));
          }
        })().catch((error: unknown) => {
          if (!done) {
            done = true;
            subscriber.error(error);
          }
        });
        return () => inner.unsubscribe();
      }),
    async close() {
      if (closed) return;
      closed = true;
      subject.complete();
      await stop();
    },
  };
}
