import type { ContainerParams, ContainerStatus } from '../graph/client.js';
import type { ErrorJson } from '../graph/igflow-error.js';

/**
 * The contract between the machines and the effects they invoke: what each
 * string-keyed actor takes and what it resolves or rejects with. Machines
 * only ever see these plain, serialisable shapes.
 */

/** What every effect input carries: whose work it is, for persistence and for picking the account. */
export interface EffectScope {
  readonly postId: string;
  readonly account: string;
}

/** Input of `createContainer`. */
export interface CreateInput extends EffectScope {
  readonly params: ContainerParams;
}
/** Output of `createContainer`. */
export interface CreateOutput {
  readonly containerId: string;
  readonly at: number;
}

/** Input of `readStatus`: wait until `wakeAt` (if set), then read the container's status. */
export interface StatusInput extends EffectScope {
  readonly containerId: string;
  readonly wakeAt: number | undefined;
}
/** Output of `readStatus`. */
export interface StatusOutput {
  readonly status: ContainerStatus;
  readonly at: number;
}

/** Input of `publishContainer`. */
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
  /** FEED, REELS or STORY (graph-api-facts.md §2, `media_product_type`). */
  readonly productType: 'FEED' | 'REELS' | 'STORY';
  /** IMAGE, VIDEO or CAROUSEL_ALBUM (`media_type`; a reel reads back as VIDEO). */
  readonly mediaType: 'IMAGE' | 'VIDEO' | 'CAROUSEL_ALBUM';
  readonly caption: string | undefined;
  /** Media ids already known to be other posts' (earlier stories of a sequence): never taken. */
  readonly exclude: readonly string[];
}

/** Input of `verifyPublish`: did a publish of `containerId` attempted at `attemptAt` go through? */
export interface VerifyInput extends EffectScope {
  readonly containerId: string;
  readonly attemptAt: number;
  readonly match: MediaMatch;
  /** Wait until then before the first read (a backoff after a failed read). */
  readonly wakeAt: number | undefined;
  /** How long to wait before trusting a FINISHED status (a publish may lag). */
  readonly graceMs: number;
}
/** What verification found. */
export type VerifyOutcome = 'published' | 'not-published' | 'in-progress' | 'expired' | 'error';
/** Output of `verifyPublish`. */
export interface VerifyOutput {
  readonly outcome: VerifyOutcome;
  /** The media id, when the post is live and it could be recovered. */
  readonly mediaId: string | undefined;
  readonly at: number;
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
