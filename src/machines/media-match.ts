import type { MediaKind } from '../spec/container-plan.js';
import type { PostSpec } from '../spec/post-spec.js';
import type { MediaMatch } from './effect-contract.js';

/**
 * How a published post is recognised among the account's recent media
 * (docs/graph-api.md#recovering-the-media-id): its product type (a reel
 * reads back as VIDEO on the media edge, so `media_product_type` tells it
 * apart), its media type and its caption. Never `data[0]`.
 */
export function mediaMatchOf(spec: Exclude<PostSpec, { kind: 'stories' }>): MediaMatch {
  switch (spec.kind) {
    case 'carousel':
      return { productType: 'FEED', mediaType: 'CAROUSEL_ALBUM', caption: spec.caption, exclude: [] };
    case 'reel':
      return { productType: 'REELS', mediaType: 'VIDEO', caption: spec.caption, exclude: [] };
    case 'story':
      return storyMatch(spec.imageUrl === undefined ? 'video' : 'image', []);
    case 'image':
      return { productType: 'FEED', mediaType: 'IMAGE', caption: spec.caption, exclude: [] };
  }
}

/** How a story is recognised: stories have no caption, so the earlier stories of its sequence (`exclude`) are never taken for it. */
export function storyMatch(media: MediaKind, exclude: readonly string[]): MediaMatch {
  return { productType: 'STORY', mediaType: media === 'video' ? 'VIDEO' : 'IMAGE', caption: undefined, exclude };
}
