import type { ContainerStatus } from '../graph/client.js';
import type { ErrorJson } from '../graph/igflow-error.js';
import type { UploadSource } from '../spec/container-plan.js';
import type { ContainerParams } from '../spec/graph-container-params.js';

/**
 * The contract between the machines and the effects they invoke: what each
 * string-keyed actor takes and what it resolves or rejects with. Machines
 * only ever see these plain, serialisable shapes. No effect waits: every
 * wait is a state of a machine with its deadline in context, invoking
 * `wait`.
 */

/** What every effect input carries: whose work it is, for persistence and for picking the account. */
export interface EffectScope {
  readonly postId: string;
  readonly account: string;
}

/** Input of `createContainer`: `POST /{ig-user-id}/media`. */
export interface CreateInput extends EffectScope {
  readonly params: ContainerParams;
}
/** Output of `createContainer`. */
export interface CreateOutput {
  readonly containerId: string;
  readonly at: number;
}

/** Input of `readStatus`: one read of a container's status. */
export interface StatusInput extends EffectScope {
  readonly containerId: string;
}
/** Output of `readStatus`. */
export interface StatusOutput {
  readonly status: ContainerStatus;
  readonly at: number;
}

/** Input of `uploadVideo`: the bytes of a resumable container, from wherever Instagram stopped. */
export interface UploadInput extends EffectScope {
  readonly containerId: string;
  readonly source: UploadSource;
  /** For progress: the carousel item or story this container is. */
  readonly item?: number | undefined;
  readonly story?: number | undefined;
}
/** Output of `uploadVideo`: Instagram has all `size` bytes; `sent` went in this attempt. */
export interface UploadOutput {
  readonly size: number;
  readonly sent: number;
  readonly at: number;
}

/** Input of `publishContainer`: one `media_publish`. */
export interface PublishInput extends EffectScope {
  readonly containerId: string;
}
/** Output of `publishContainer`. */
export interface PublishOutput {
  readonly mediaId: string;
  readonly at: number;
}

/** Which edge a published post shows up in, and how to recognise it there. */
export interface MediaMatch {
  /** FEED, REELS or STORY (`media_product_type`). */
  readonly productType: 'FEED' | 'REELS' | 'STORY';
  /** IMAGE, VIDEO or CAROUSEL_ALBUM (`media_type`; a reel reads back as VIDEO). */
  readonly mediaType: 'IMAGE' | 'VIDEO' | 'CAROUSEL_ALBUM';
  readonly caption: string | undefined;
  /** Media ids already known to be other posts' (earlier stories of a sequence): never taken. */
  readonly exclude: readonly string[];
}

/** Input of `wait`: resolve at `wakeAt`. */
export interface WaitInput {
  readonly postId: string;
  readonly wakeAt: number;
}
/** Output of `wait`. */
export interface WaitOutput {
  readonly at: number;
}

/**
 * What every effect rejects with: the error as plain data (already free of
 * secrets) and when it happened, so the machine can compute the next
 * deadline without reading a clock.
 */
export interface StepFailure {
  readonly error: ErrorJson;
  readonly at: number;
}

/** Input of `checkQuota`: may this post publish now? */
export interface QuotaInput extends EffectScope {
  /** Instagram just answered media_publish with "daily limit reached" (2207042). */
  readonly serverSaidFull: boolean;
}
/** Output of `checkQuota`. */
export interface QuotaOutput {
  readonly ok: boolean;
  /** When to ask again, when not ok: the moment the moving window frees a slot. */
  readonly wakeAt: number | undefined;
  readonly used: number;
  readonly total: number;
  readonly at: number;
}

/** Input of `findMedia`: the post is live (its container reads PUBLISHED); which media is it? */
export interface FindMediaInput extends EffectScope {
  readonly match: MediaMatch;
  /** When it was published, at the earliest. */
  readonly since: number;
}
/** Output of `findMedia`: the media id, when recent media show it. */
export interface FindMediaOutput {
  readonly mediaId: string | undefined;
  readonly at: number;
}

/** Input of `postComment` and `findComment`: the first comment of a published media. */
export interface CommentInput extends EffectScope {
  readonly mediaId: string;
  readonly message: string;
}
/** Output of `postComment`: `POST /{ig-media-id}/comments` answered with the comment's id. */
export interface PostCommentOutput {
  readonly commentId: string;
  readonly at: number;
}
/** Output of `findComment`: the account's own comment with the message, when the media's comments show one. */
export interface FindCommentOutput {
  readonly commentId: string | undefined;
  readonly at: number;
}
