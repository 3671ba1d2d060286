import type { WaitReason } from '../machines/progress.js';
import type { LiveStory } from '../machines/outcome.js';
import type { SpecKind } from '../spec/post-spec.js';

export type { WaitReason } from '../machines/progress.js';

/** An error as it appears in events: what the contract's `--json` output promises, and the remedy. */
export interface EventError {
  readonly code: number | null;
  readonly subcode: number | null;
  readonly retryable: boolean;
  readonly message: string;
  readonly errorClass: string;
  readonly remedy: string;
}

export type { LiveStory } from '../machines/outcome.js';

interface Base {
  readonly postId: string;
  /** When it happened, ISO-8601, on the engine's clock. */
  readonly at: string;
}

/**
 * What the engine reports, one object per line in `--json` output. Every
 * event has `type`, `postId` and `at`; the last event of a post is
 * `published`, `failed` or `cancelled`. Never carries the access token.
 */
export type EngineEvent =
  | (Base & { readonly type: 'accepted'; readonly key: string | null; readonly kind: SpecKind })
  /** A post taken up from the store by this engine (`key`: the spec's id, so output can name it). */
  | (Base & { readonly type: 'resumed'; readonly state: string; readonly key: string | null })
  /** The post (for a sequence of stories: the story numbered `story`, 0-based) entered a state. */
  | (Base & { readonly type: 'state'; readonly state: string; readonly story?: number })
  | (Base & {
      readonly type: 'container';
      readonly role: 'single' | 'carousel-child' | 'carousel-parent';
      /** The carousel item (0-based), for items. */
      readonly item: number | null;
      /** The story of a sequence (0-based), for stories. */
      readonly story: number | null;
      readonly state: string;
      readonly containerId: string | null;
    })
  /**
   * The post waits until `until` (a later publishAt, a retry after a failure,
   * the daily quota, a new token…). For a retry: `since`, when the failures
   * began, and `error`, the failure being waited out (with its remedy).
   */
  | (Base & {
      readonly type: 'waiting';
      readonly until: string;
      readonly reason: WaitReason;
      readonly since?: string;
      readonly error?: EventError;
      /** For a schedule: when the post goes live. */
      readonly publishAt?: string;
    })
  /** A video's bytes on their way to the upload host: `sent` of `total` (at most every 250 ms, and when the upload ends). */
  | (Base & {
      readonly type: 'upload';
      readonly containerId: string;
      readonly item: number | null;
      readonly story: number | null;
      readonly sent: number;
      readonly total: number;
    })
  /** The post's publishAt passed more than 24 h ago: it is published now, and says so. */
  | (Base & { readonly type: 'late'; readonly publishAt: string; readonly lateByMs: number })
  /** The first comment is on the media: posted now, or `found` among the media's comments (made before a crash or a lost answer). */
  | (Base & { readonly type: 'comment'; readonly mediaId: string; readonly commentId: string; readonly found: boolean })
  /** An attempt at the first comment failed: `retrying` with the next at `retryAt`, or given up (the post stays published). */
  | (Base & { readonly type: 'comment-failed'; readonly mediaId: string; readonly error: EventError; readonly retrying: boolean; readonly retryAt?: string })
  /**
   * The account's token expires at `expiresAt`, as the Graph API reported it
   * (`postId` is {@link WORKER_POST_ID}): announced once per expiry, days
   * ahead. Never carries the token.
   */
  | (Base & { readonly type: 'token-expiring'; readonly account: string; readonly expiresAt: string })
  | (Base & { readonly type: 'published'; readonly mediaId: string | null; readonly containerId: string; readonly stories?: readonly LiveStory[]; readonly commentId?: string })
  | (Base & { readonly type: 'failed'; readonly error: EventError; readonly stories?: readonly LiveStory[] })
  /** The post was cancelled before its publish (here or in another process, `cancelledAt` when the cancel was stored): its last event; it is never published. */
  | (Base & { readonly type: 'cancelled'; readonly cancelledAt: string })
  | (Base & { readonly type: 'interrupted'; readonly reason: string })
  /** A media of a new post that igflow could not check (unreachable, or its facts beyond the bytes read): `path` in the spec, and why. The post goes on. */
  | (Base & { readonly type: 'warning'; readonly path: string; readonly message: string })
  /** Something worth knowing that did not end a post; about the worker itself when `postId` is {@link WORKER_POST_ID}. */
  | (Base & { readonly type: 'problem'; readonly message: string });

/**
 * The `postId` of `problem` events about a worker (`work()`) rather than
 * one post: its store unreachable and reachable again, a store it cannot watch.
 */
export const WORKER_POST_ID = '(worker)';

/** The type names of {@link EngineEvent}. */
export type EngineEventType = EngineEvent['type'];
