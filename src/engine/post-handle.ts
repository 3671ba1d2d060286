import { Observable, Subject } from 'rxjs';
import type { EngineEvent, LiveStory } from './engine-events.js';

/** What a published post resolves to. */
export interface PublishResult {
  readonly postId: string;
  /** The Instagram media id; undefined when the post is live but its id could not be recovered. */
  readonly mediaId: string | undefined;
  /** The container that was published (a carousel's parent; the last story's for a sequence). */
  readonly containerId: string | undefined;
  /** For a sequence of stories: each story's media. */
  readonly stories?: readonly LiveStory[];
  /** The first comment's id, when the spec had one and it was posted (a comment that failed leaves it out; the post is published all the same). */
  readonly commentId?: string;
}

/** A post being published: its events as they happen, and its outcome. */
export interface PostHandle {
  readonly postId: string;
  /** The caller's idempotency key, when the spec had one. */
  readonly key: string | undefined;
  /** This post's events, the same as `--json` prints; completes after `published` or `failed`. */
  readonly events$: Observable<EngineEvent>;
  /** Resolves when the post is live; rejects with PostFailed, or PostInterrupted when this engine stopped first. */
  readonly result: Promise<PublishResult>;
}

/** How many recent events a handle replays to a late subscriber. */
const REPLAY = 32;

/** The engine's side of a handle: feeds it events and settles it. */
export class HandleState implements PostHandle {
  readonly result: Promise<PublishResult>;
  readonly events$: Observable<EngineEvent>;
  private readonly live = new Subject<EngineEvent>();
  private recent: EngineEvent[] = [];
  private settled = false;
  private resolveResult!: (result: PublishResult) => void;
  private rejectResult!: (err: Error) => void;

  constructor(
    readonly postId: string,
    readonly key: string | undefined,
  ) {
    this.result = new Promise<PublishResult>((resolve, reject) => {
      this.resolveResult = resolve;
      this.rejectResult = reject;
    });
    // A caller that never awaits `result` must not crash the process with an unhandled rejection.
    this.result.catch(() => undefined);
    this.events$ = new Observable<EngineEvent>((subscriber) => {
      for (const event of this.recent) subscriber.next(event);
      if (this.settled) {
        subscriber.complete();
        return undefined;
      }
      return this.live.subscribe(subscriber);
    });
  }

  /** Passes an event on to subscribers. */
  emit(event: EngineEvent): void {
    if (this.settled) return;
    this.recent.push(event);
    if (this.recent.length > REPLAY) this.recent = this.recent.slice(-REPLAY);
    this.live.next(event);
  }

  /** Settles the handle: resolved with the result, or rejected with the error. */
  settle(outcome: { result: PublishResult } | { error: Error }): void {
    if (this.settled) return;
    this.settled = true;
    this.live.complete();
    if ('result' in outcome) this.resolveResult(outcome.result);
    else this.rejectResult(outcome.error);
  }
}
