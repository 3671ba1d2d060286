import type { Endpoint, MediaKind, RequestEndpoint } from './endpoints.js';
import type { FaultType } from './fault-schema.js';
import type { Params } from './params.js';
import type { UploadRecord, UploadRequestRecord } from './upload-record.js';

/** One request as the simulator saw it. Never holds the token. */
export interface RequestRecord {
  readonly seq: number;
  /** Sim time of arrival, epoch ms. */
  readonly at: number;
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  readonly endpoint: RequestEndpoint;
  /** The IG user the request acted on, when known. */
  account: string | undefined;
  /** Which of the account's `clients` sent it (the label of the token it used), when it used one of them. */
  readonly client?: string | undefined;
  /** Query and body parameters, `access_token` removed; on the upload host, the `offset`, `file_size` and `file_url` headers. */
  readonly params: Params;
  /** HTTP status written; 0 when the socket was destroyed without an answer. */
  status: number;
  /** The fault a rule applied, if any. */
  fault: FaultType | undefined;
  /** What the answer said, as far as a client could read it (absent when no readable JSON went back). */
  answer?: AnswerSummary | undefined;
  /** For a request to the upload host: what it offered and what the server kept. */
  upload?: UploadRequestRecord | undefined;
}

/** The parts of an answer the oracle judges by: an error's code and subcode, a container's status. */
export interface AnswerSummary {
  readonly errorCode?: number | undefined;
  readonly errorSubcode?: number | undefined;
  /** `status_code` of a container read. */
  readonly statusCode?: string | undefined;
  /** For a throttle answer: until when Instagram blocks the account (sim time, epoch ms). */
  readonly throttledUntil?: number | undefined;
}

/** How a container ends once processed. */
export type ContainerOutcome =
  | { readonly type: 'finish' }
  | { readonly type: 'error'; readonly subcode: number | undefined };

/** Feed, reel or story, as `media_product_type` reports it. */
export type ProductType = 'FEED' | 'REELS' | 'STORY';

/** One created container. `publishedAt`, `mediaId` and `publishedVia` fill in when it is published. */
export interface ContainerRecord {
  readonly id: string;
  readonly account: string;
  readonly kind: MediaKind;
  readonly isCarouselItem: boolean;
  /** The `media_type` sent (`IMAGE` when absent). */
  readonly mediaType: string;
  readonly productType: ProductType;
  readonly params: Params;
  /** Child container IDs of a carousel parent. */
  readonly children: readonly string[] | undefined;
  readonly createdAt: number;
  /** When processing ends. `Infinity` while a resumable upload is incomplete; set when it completes. */
  readyAt: number;
  /** When it expires; a test may bring it forward (`Simulator.expire`). */
  expiresAt: number;
  readonly outcome: ContainerOutcome;
  publishedAt: number | undefined;
  mediaId: string | undefined;
  /** For a carousel child: the parent whose publish made it PUBLISHED. */
  publishedVia: string | undefined;
  /** Set on a container created with `upload_type=resumable`. */
  readonly upload?: UploadRecord | undefined;
}

/** One successful `media_publish`. */
export interface PublishRecord {
  readonly containerId: string;
  readonly mediaId: string;
  readonly at: number;
  readonly account: string;
  /** Account + kind + media URLs + caption: equal fingerprints mean the same content. */
  readonly fingerprint: string;
  readonly requestSeq: number;
}

/** One published IG media object. */
export interface MediaRecord {
  readonly id: string;
  readonly account: string;
  readonly containerId: string;
  readonly kind: MediaKind;
  /** `IMAGE`, `VIDEO` or `CAROUSEL_ALBUM`, as the media edge reports it. */
  readonly mediaType: 'IMAGE' | 'VIDEO' | 'CAROUSEL_ALBUM';
  readonly productType: ProductType;
  readonly caption: string | undefined;
  readonly mediaUrls: readonly string[];
  readonly at: number;
  /** ISO timestamp as the Graph API writes it (`2026-01-01T00:00:00+0000`). */
  readonly timestamp: string;
  readonly shortcode: string;
  readonly permalink: string;
}

/** One comment on a media (the first comments igflow posts, and any a test adds as another user's). */
export interface CommentRecord {
  readonly id: string;
  readonly mediaId: string;
  /** The account whose token posted it (undefined for a comment a test added as someone else's). */
  readonly account: string | undefined;
  readonly username: string;
  readonly text: string;
  readonly at: number;
  /** ISO timestamp as the Graph API writes it. */
  readonly timestamp: string;
  /** The request that made it (0 for a test's). */
  readonly requestSeq: number;
}

/** One token the simulator handed out with `refresh_access_token` (never the token itself). */
export interface RefreshRecord {
  readonly account: string;
  readonly at: number;
  readonly expiresAt: number;
  readonly requestSeq: number;
}

/** The client mistakes the simulator detects. */
export type ViolationType =
  | 'duplicate-publish'
  | 'caption-on-carousel-item'
  | 'caption-on-story'
  | 'token-in-query'
  | 'poll-too-fast'
  | 'publish-not-finished'
  | 'republish';

/** One detected client mistake. */
export interface Violation {
  readonly type: ViolationType;
  readonly detail: string;
  readonly at: number;
  readonly requestSeq: number;
}

/**
 * What Instagram saw: plain data for tests to assert on, with a few helpers.
 * The simulator appends to it; tests only read it.
 */
export class SimRecord {
  readonly requests: RequestRecord[] = [];
  readonly containers: ContainerRecord[] = [];
  readonly publishes: PublishRecord[] = [];
  readonly media: MediaRecord[] = [];
  readonly violations: Violation[] = [];
  /** Every comment made, in order. */
  readonly comments: CommentRecord[] = [];
  /** Every token refresh, in order. */
  readonly refreshes: RefreshRecord[] = [];
  readonly #containerIndex = new Map<string, ContainerRecord>();

  /** How many requests reached `endpoint`. */
  count(endpoint: RequestEndpoint): number {
    let n = 0;
    for (const request of this.requests) if (request.endpoint === endpoint) n += 1;
    return n;
  }

  /** The requests that reached `endpoint`, in arrival order. */
  requestsTo(endpoint: Endpoint | 'unknown'): RequestRecord[] {
    return this.requests.filter((request) => request.endpoint === endpoint);
  }

  /** Successful publishes for one account, in order. */
  publishesOf(account: string): PublishRecord[] {
    return this.publishes.filter((publish) => publish.account === account);
  }

  /** Published media of one account, oldest first. */
  mediaOf(account: string): MediaRecord[] {
    return this.media.filter((media) => media.account === account);
  }

  /** The comments on one media, oldest first. */
  commentsOn(mediaId: string): CommentRecord[] {
    return this.comments.filter((comment) => comment.mediaId === mediaId);
  }

  /** Violations, all or of one type. */
  violationsOf(type?: ViolationType): Violation[] {
    return type === undefined ? [...this.violations] : this.violations.filter((v) => v.type === type);
  }

  /** A container by ID. */
  container(id: string): ContainerRecord | undefined {
    return this.#containerIndex.get(id);
  }

  /** The upload of a resumable container (undefined for an unknown or URL-fed container). */
  uploadOf(containerId: string): UploadRecord | undefined {
    return this.#containerIndex.get(containerId)?.upload;
  }

  /** @internal Appends a container and indexes it. */
  addContainer(container: ContainerRecord): void {
    this.containers.push(container);
    this.#containerIndex.set(container.id, container);
  }

  /** @internal Appends a violation. */
  addViolation(type: ViolationType, detail: string, at: number, requestSeq: number): void {
    this.violations.push({ type, detail, at, requestSeq });
  }
}
