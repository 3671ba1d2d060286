import type { MediaRecord } from './record.js';
import type { Account } from './world.js';

/** IG Media fields the simulator fills in. */
const MODELED = new Set([
  'id',
  'caption',
  'media_type',
  'media_product_type',
  'media_url',
  'permalink',
  'shortcode',
  'timestamp',
  'username',
  'owner',
  'like_count',
  'comments_count',
]);

/** Real IG Media fields the simulator knows but leaves out (Graph omits empty fields too). */
const KNOWN_UNMODELED = new Set([
  'alt_text',
  'boost_ads_list',
  'boost_eligibility_info',
  'children',
  'copyright_check_information',
  'is_comment_enabled',
  'is_shared_to_feed',
  'legacy_instagram_media_id',
  'thumbnail_url',
  'view_count',
]);

/** The first requested field Instagram would not know on an IG Media node. */
export function unknownMediaField(fields: readonly string[]): string | undefined {
  return fields.find((field) => !MODELED.has(field) && !KNOWN_UNMODELED.has(field));
}

/** Projects a media object onto the requested fields; `id` is always included, as Graph does. */
export function mediaFields(media: MediaRecord, account: Account, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    switch (field) {
      case 'id':
        out['id'] = media.id;
        break;
      case 'caption':
        if (media.caption !== undefined) out['caption'] = media.caption;
        break;
      case 'media_type':
        out['media_type'] = media.mediaType;
        break;
      case 'media_product_type':
        out['media_product_type'] = media.productType;
        break;
      case 'media_url':
        if (media.mediaUrls[0] !== undefined) out['media_url'] = media.mediaUrls[0];
        break;
      case 'permalink':
        out['permalink'] = media.permalink;
        break;
      case 'shortcode':
        out['shortcode'] = media.shortcode;
        break;
      case 'timestamp':
        out['timestamp'] = media.timestamp;
        break;
      case 'username':
        out['username'] = account.username;
        break;
      case 'owner':
        out['owner'] = { id: account.igUserId };
        break;
      case 'like_count':
      case 'comments_count':
        out[field] = 0;
        break;
      default:
        break;
    }
  }
  if (!('id' in out)) out['id'] = media.id;
  return out;
}
