import { statusAt } from './container-status.js';
import { judgeUploads, type UploadRule } from './oracle-upload.js';
import type { ContainerRecord, RequestRecord, SimRecord } from './record.js';
import { uploadContentId, uploadedContentId } from './upload-record.js';

/**
 * The oracle: what Instagram saw, judged against the rules every correct
 * client of the container flow keeps (docs/graph-api.md). It reads only the
 * simulator's record, never igflow's machines, so a bug in a machine cannot
 * hide behind the machine's own idea of where it should be.
 */

/** A post a test published, as the oracle recognises it among the containers. */
export interface ExpectedPost {
  /** How the verdict names it (the idempotency key, say). */
  readonly label: string;
  /** `single` (image, reel, one story), `carousel` (items in spec order) or `stories` (published one by one, in spec order). */
  readonly shape: 'single' | 'carousel' | 'stories';
  /** The media URLs of the spec, in spec order (`upload:sha256:<hex>` for an uploaded video). */
  readonly mediaUrls: readonly string[];
  /** The spec's first comment: the account may put it on the post's media at most once. */
  readonly firstComment?: string | undefined;
  /** The client says the first comment was posted: then it is on the media exactly once. */
  readonly commented?: boolean | undefined;
}

/** Options of {@link judge}. */
export interface OracleOptions {
  /** The posts the test published: each must be live at most once, carousels and stories in spec order. */
  readonly posts?: readonly ExpectedPost[];
  /** A request arriving this long after a throttle answer counts as sent during the block (earlier ones were in flight). Default 0. */
  readonly inFlightMs?: number;
}

/** One broken rule. */
export interface OracleViolation {
  readonly rule:
    | 'duplicate-post'
    | 'post-published-twice'
    | 'publish-not-finished'
    | 'publish-carousel-child'
    | 'publish-unknown-container'
    | 'republish'
    | 'publish-after-ambiguous'
    | 'poll-after-end'
    | 'parent-before-children'
    | 'children-out-of-order'
    | 'stories-out-of-order'
    | 'caption-on-child'
    | 'caption-on-story'
    | 'request-during-block'
    | 'over-quota-publish'
    | 'comment-posted-twice'
    | 'comment-missing'
    | 'comment-without-read'
    | UploadRule
    | 'simulator';
  readonly detail: string;
  readonly seq?: number;
}

/**
 * Graph error codes after which a media_publish certainly did nothing: the
 * token or a permission was refused, the daily quota is full (9/2207042),
 * the container is not ready (9007), or the request itself was invalid. Any
 * other answer that is not a clean 200 may hide a publish
 * (docs/graph-api.md#what-can-hide-a-publish). Deliberately narrow: a wrong "ambiguous" only asks
 * for a status read the client should make anyway.
 */
const REFUSED_CODES: ReadonlySet<number> = new Set([190, 102, 10, 9, 9007, 100, 36000, 36001, 36003, 36004, 352]);
const refusedOutright = (code: number | undefined): boolean => code !== undefined && (REFUSED_CODES.has(code) || (code >= 200 && code <= 299));

/** Faults after which a 200 could not be read by the client. */
const UNREADABLE = new Set(['empty', 'truncated', 'garbage', 'lostResponse', 'reset']);

/** App-wide throttle codes: they block every account of the app (docs/graph-api.md#throttle-codes). */
const APP_WIDE = new Set([4, 341]);

/** The container a request is about: a publish's `creation_id`, or the node of a status read. */
function containerOf(request: RequestRecord): string | undefined {
  if (request.endpoint === 'publish') return typeof request.params.creation_id === 'string' ? request.params.creation_id : undefined;
  if (request.endpoint === 'status') return request.path.split('/').filter(Boolean).at(-1);
  return undefined;
}

/** Whether the client learnt for sure what a media_publish did. */
function publishWasDefinitive(request: RequestRecord): boolean {
  if (request.fault !== undefined && UNREADABLE.has(request.fault)) return false;
  if (request.status === 200) return request.answer !== undefined;
  return request.status >= 400 && request.status < 500 && refusedOutright(request.answer?.errorCode);
}

/** A container's status at `at` as if it had never been published (its readiness for a publish). */
function readinessAt(container: ContainerRecord, at: number): string {
  return statusAt({ ...container, publishedAt: undefined }, at);
}

/** The media URLs a container stands for: its own, or its children's in order. */
function urlsOf(record: SimRecord, container: ContainerRecord): string[] {
  if (container.children !== undefined) return container.children.flatMap((id) => urlsOf(record, record.container(id) ?? ({ params: {} } as ContainerRecord)));
  const url = container.upload !== undefined ? uploadContentId(container.upload) : (container.params.image_url ?? container.params.video_url);
  return typeof url === 'string' ? [url] : [];
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/** Every rule broken in `record`, in request order; empty when Instagram saw a correct client. */
export function judge(record: SimRecord, options: OracleOptions = {}): OracleViolation[] {
  const out: OracleViolation[] = [];
  const add = (rule: OracleViolation['rule'], detail: string, seq?: number) => out.push({ rule, detail, ...(seq === undefined ? {} : { seq }) });
  const publishedBy = new Map(record.publishes.map((p) => [p.containerId, p.requestSeq]));

  for (const violation of record.violations) add('simulator', `${violation.type}: ${violation.detail}`, violation.requestSeq);

  const ambiguous = new Map<string, number>(); // container → seq of a publish whose outcome the client could not know
  const ended = new Map<string, number>(); // container → seq of a read that reported ERROR or EXPIRED
  const blocks: Array<{ account: string | undefined; from: number; until: number; seq: number }> = [];
  const inFlightMs = options.inFlightMs ?? 0;
  const commentedOn = new Map<string, number>(); // media → seq of a comment request not followed by a read of the media's comments

  for (const request of record.requests) {
    const id = containerOf(request);
    for (const block of blocks) {
      const sameAccount = block.account === undefined || block.account === request.account;
      if (sameAccount && request.seq > block.seq && request.at > block.from + inFlightMs && request.at < block.until) {
        add('request-during-block', `${request.method} ${request.path} at +${request.at - block.from} ms of a block until +${block.until - block.from} ms (throttled by request ${block.seq})`, request.seq);
      }
    }
    if (id !== undefined) {
      const pending = ambiguous.get(id);
      if (pending !== undefined) {
        ambiguous.delete(id);
        if (request.endpoint === 'publish') add('publish-after-ambiguous', `container ${id} published again (request ${request.seq}) right after a publish whose outcome was unknown (request ${pending}), without reading its status first`, request.seq);
      }
      const end = ended.get(id);
      if (end !== undefined && request.endpoint === 'status') add('poll-after-end', `container ${id} read again after request ${end} reported it ${record.requests[end - 1]?.answer?.statusCode ?? 'ended'}`, request.seq);
    }
    if (request.endpoint === 'publish' && id !== undefined) {
      const container = record.container(id);
      if (container === undefined) add('publish-unknown-container', `media_publish of ${id}, which Instagram never created`, request.seq);
      else if (container.isCarouselItem) add('publish-carousel-child', `media_publish of carousel item ${id}`, request.seq);
      else {
        const firstPublish = publishedBy.get(id);
        if (firstPublish !== undefined && firstPublish < request.seq) add('republish', `media_publish of ${id}, already published by request ${firstPublish}`, request.seq);
        else if (readinessAt(container, request.at) !== 'FINISHED') add('publish-not-finished', `media_publish of ${id} while it was ${readinessAt(container, request.at)}`, request.seq);
      }
      if (!publishWasDefinitive(request)) ambiguous.set(id, request.seq);
      if (request.answer?.errorCode === 9 && request.answer.errorSubcode === 2207042 && request.fault === undefined) add('over-quota-publish', `Instagram refused media_publish of ${id} as over the daily quota`, request.seq);
    }
    if (request.endpoint === 'comment' || request.endpoint === 'comments') {
      const mediaId = request.path.split('/').filter(Boolean).at(-2) ?? '';
      const earlier = commentedOn.get(mediaId);
      if (request.endpoint === 'comments' && request.status === 200) commentedOn.delete(mediaId);
      if (request.endpoint === 'comment') {
        if (earlier !== undefined) add('comment-without-read', `a comment on media ${mediaId} was sent again (request ${request.seq}) after request ${earlier} without reading the media's comments first`, request.seq);
        commentedOn.set(mediaId, request.seq);
      }
    }
    if (request.endpoint === 'status' && id !== undefined && (request.answer?.statusCode === 'ERROR' || request.answer?.statusCode === 'EXPIRED') && request.fault === undefined) ended.set(id, request.seq);
    if (request.endpoint === 'create') {
      const isItem = request.params.is_carousel_item === true || request.params.is_carousel_item === 'true';
      if (typeof request.params.children === 'string') {
        for (const childId of request.params.children.split(',')) {
          const child = record.container(childId);
          const readiness = child === undefined ? 'unknown' : readinessAt(child, request.at);
          if (readiness !== 'FINISHED') add('parent-before-children', `a carousel parent was asked for while item ${childId} was ${readiness}`, request.seq);
        }
      }
      if (isItem && request.params.caption !== undefined) add('caption-on-child', `a carousel item was created with a caption`, request.seq);
      if (request.params.media_type === 'STORIES' && request.params.caption !== undefined) add('caption-on-story', `a story was created with a caption`, request.seq);
    }
    const until = request.answer?.throttledUntil;
    if (until !== undefined) {
      const appWide = request.answer?.errorCode !== undefined && APP_WIDE.has(request.answer.errorCode);
      blocks.push({ account: appWide ? undefined : request.account, from: request.at, until, seq: request.seq });
    }
  }

  for (const finding of judgeUploads(record)) add(finding.rule, finding.detail, finding.seq);

  // whatever the posts: an account never puts the same comment on a media twice (a first comment is posted once)
  const seenComments = new Map<string, string>();
  for (const comment of record.comments) {
    if (comment.account === undefined) continue;
    const key = `${comment.mediaId}|${comment.account}|${comment.text.trim()}`;
    const first = seenComments.get(key);
    if (first !== undefined) add('comment-posted-twice', `comment ${comment.id} on media ${comment.mediaId} repeats comment ${first} of the same account`, comment.requestSeq);
    else seenComments.set(key, comment.id);
  }

  const seenContent = new Map<string, string>();
  for (const publish of record.publishes) {
    const first = seenContent.get(publish.fingerprint);
    if (first !== undefined) add('duplicate-post', `container ${publish.containerId} published the same content as ${first}`, publish.requestSeq);
    else seenContent.set(publish.fingerprint, publish.containerId);
  }

  for (const post of options.posts ?? []) {
    const live = record.publishes.map((p) => ({ publish: p, urls: urlsOf(record, record.container(p.containerId) ?? ({ params: {} } as ContainerRecord)) }));
    if (post.shape === 'stories') {
      const order = live.filter((l) => l.urls.length === 1 && post.mediaUrls.includes(l.urls[0]!)).map((l) => post.mediaUrls.indexOf(l.urls[0]!));
      if (new Set(order).size !== order.length) add('post-published-twice', `${post.label}: a story was published more than once`);
      if (order.some((index, i) => i > 0 && index < order[i - 1]!)) add('stories-out-of-order', `${post.label}: stories went live in the order ${order.map((i) => i + 1).join(', ')}`);
      continue;
    }
    const mine = live.filter((l) => sameSet(l.urls, post.mediaUrls));
    if (mine.length > 1) add('post-published-twice', `${post.label}: ${mine.length} Instagram posts`);
    for (const { urls, publish } of mine) if (post.shape === 'carousel' && !sameList(urls, post.mediaUrls)) add('children-out-of-order', `${post.label}: carousel ${publish.containerId} has its items in another order`, publish.requestSeq);
    const text = post.firstComment?.trim();
    if (text === undefined) continue;
    for (const { publish } of mine) {
      const own = record.comments.filter((c) => c.mediaId === publish.mediaId && c.account === publish.account && c.text.trim() === text);
      if (post.commented === true && own.length !== 1) add('comment-missing', `${post.label}: the client says its first comment was posted, media ${publish.mediaId} has it ${own.length} times`);
    }
  }
  return out;
}

/** A media of a post spec as {@link expectedPost} reads it; an uploaded video is named by the sha256 of its bytes. */
export interface ExpectedMedia {
  readonly imageUrl?: string;
  readonly videoUrl?: string;
  /** Hex sha256 of a video sent through the upload host (its `videoFile`). */
  readonly videoSha256?: string;
}

/**
 * The media URLs of a post spec, in spec order, its shape and its first
 * comment: what {@link judge} needs to recognise it. `commented`: the
 * client reports the comment posted (then it must be there exactly once).
 */
export function expectedPost(label: string, spec: ExpectedMedia & { kind: string; items?: readonly ExpectedMedia[]; firstComment?: string }, commented?: boolean): ExpectedPost {
  const urlOf = (m: ExpectedMedia) => m.imageUrl ?? m.videoUrl ?? (m.videoSha256 === undefined ? '' : uploadedContentId(m.videoSha256));
  const comment = { ...(spec.firstComment === undefined ? {} : { firstComment: spec.firstComment }), ...(commented === undefined ? {} : { commented }) };
  if (spec.kind === 'carousel') return { label, shape: 'carousel', mediaUrls: (spec.items ?? []).map(urlOf), ...comment };
  if (spec.kind === 'stories') return { label, shape: 'stories', mediaUrls: (spec.items ?? []).map(urlOf) };
  return { label, shape: 'single', mediaUrls: [urlOf(spec)], ...comment };
}
