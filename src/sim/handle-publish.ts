import { fail, ok, quotaTotalOf, type Answer, type HandlerContext } from './answer.js';
import { statusAt } from './container-status.js';
import { fingerprintOf } from './fingerprint.js';
import { shortcodeOf } from './ids.js';
import { str } from './params.js';
import type { MediaRecord } from './record.js';
import { simErrors } from './sim-errors.js';
import { graphTimestamp } from './timestamp.js';
import { mediaOf, type Container } from './world.js';

function permalinkOf(container: Container, shortcode: string, username: string, mediaId: string): string {
  if (container.rec.productType === 'STORY') return `https://www.instagram.com/stories/${username}/${mediaId}/`;
  if (container.rec.productType === 'REELS') return `https://www.instagram.com/reel/${shortcode}/`;
  return `https://www.instagram.com/p/${shortcode}/`;
}

function mediaTypeOf(container: Container): MediaRecord['mediaType'] {
  if (container.rec.kind === 'carousel') return 'CAROUSEL_ALBUM';
  return container.rec.kind === 'video' ? 'VIDEO' : 'IMAGE';
}

/** Makes the post live: media ID, record entries, children PUBLISHED, quota counted. */
function publish(ctx: HandlerContext, container: Container): Answer {
  const { world, account, now, record } = ctx;
  const { rec } = container;
  const mediaId = world.ids.mediaId();
  const shortcode = shortcodeOf(mediaId);
  rec.publishedAt = now;
  rec.mediaId = mediaId;
  for (const childId of rec.children ?? []) {
    const child = world.containers.get(childId);
    if (child === undefined) continue;
    child.rec.publishedAt = now;
    child.rec.publishedVia = rec.id;
  }
  const kind = `${rec.productType}:${rec.kind}`;
  const mediaUrls = mediaOf(container);
  const fingerprint = fingerprintOf({ account: account.igUserId, kind, mediaUrls, caption: container.caption });
  const first = account.fingerprints.get(fingerprint);
  if (first !== undefined) {
    record.addViolation('duplicate-publish', `container ${rec.id} published the same content as media ${first}`, now, ctx.seq);
  } else {
    account.fingerprints.set(fingerprint, mediaId);
  }
  const media: MediaRecord = {
    id: mediaId,
    account: account.igUserId,
    containerId: rec.id,
    kind: rec.kind,
    mediaType: mediaTypeOf(container),
    productType: rec.productType,
    caption: container.caption,
    mediaUrls,
    at: now,
    timestamp: graphTimestamp(now),
    shortcode,
    permalink: permalinkOf(container, shortcode, account.username, mediaId),
  };
  world.media.set(mediaId, media);
  (rec.productType === 'STORY' ? account.stories : account.feed).push(media);
  account.publishes.push(now);
  record.media.push(media);
  record.publishes.push({ containerId: rec.id, mediaId, at: now, account: account.igUserId, fingerprint, requestSeq: ctx.seq });
  return ok({ id: mediaId });
}

/**
 * `POST /{ig-user-id}/media_publish` (docs/graph-api.md#the-publishing-quota,
 * docs/graph-api.md#the-publish-boundary, docs/graph-api.md#pitfalls-seen-in-real-clients): refuses
 * unknown, expired, unfinished, erroneous and already-published containers
 * and carousel children, enforces the moving 24 h quota, refuses a standalone
 * VIDEO, and otherwise publishes. Not idempotent, like the real thing.
 */
export function handlePublish(ctx: HandlerContext): Answer {
  const { world, account, now, record, seq } = ctx;
  const id = str(ctx.params, 'creation_id');
  if (id === undefined || id === '') return fail(world, simErrors.missingParam('creation_id'));
  const container = world.containers.get(id);
  if (container === undefined || container.rec.account !== account.igUserId) return fail(world, simErrors.containerGone(id));
  if (container.rec.isCarouselItem) {
    // A carousel item is published through its parent. No code in docs/graph-api.md: code 100 by choice.
    return fail(world, simErrors.invalidParam(`container ${id} is a carousel item; publish the carousel container instead`));
  }
  const status = statusAt(container.rec, now);
  switch (status) {
    case 'PUBLISHED':
      // media_publish is not idempotent (docs/graph-api.md#the-publish-boundary) and no source says what a second call returns.
      // By choice: 24 / 2207008 ("does not exist or has expired"), the ugly answer that tempts a blind
      // retry-then-recreate into a duplicate post. The record flags the attempt either way.
      record.addViolation('republish', `container ${id} is already PUBLISHED (media ${container.rec.mediaId ?? '?'})`, now, seq);
      return fail(world, simErrors.containerGone(id));
    case 'IN_PROGRESS':
    case 'ERROR':
      record.addViolation('publish-not-finished', `container ${id} is ${status}`, now, seq);
      return fail(world, simErrors.notReady(`container is ${status}`));
    case 'EXPIRED':
      return fail(world, simErrors.containerGone(id));
    case 'FINISHED':
      break;
  }
  const total = quotaTotalOf(ctx);
  if (ctx.quotaFull || account.publishes.count(now) >= total) return fail(world, simErrors.quotaReached(total));
  if (container.rec.mediaType === 'VIDEO') return fail(world, simErrors.videoNotSupported());
  return publish(ctx, container);
}
