import { z } from 'zod';
import { ErrorClass } from './error-class.js';

/**
 * One row of the error catalogue. A row matches on any mix of `code`
 * (a number or an inclusive range), `subcode` and `httpStatus` (a status,
 * or a round hundred such as 500 for every 5xx); the most specific row wins
 * (see `classify.ts` for the order).
 */
export const CatalogueEntry = z.object({
  code: z.union([z.number().int(), z.tuple([z.number().int(), z.number().int()])]).optional(),
  subcode: z.number().int().optional(),
  httpStatus: z.number().int().optional(),
  /** The class of this answer to a create, status read or other call. */
  errorClass: ErrorClass,
  /** The class when the answer came from media_publish, if it differs. */
  atPublish: ErrorClass.optional(),
  /** The class when the subcode shows up as a container's ERROR status, if it differs. */
  asStatus: ErrorClass.optional(),
  /** For recreate-container: how many new containers to try before giving up. */
  maxAttempts: z.number().int().positive().optional(),
  /** A floor for the wait before retrying, when the server gives no hint. */
  minBackoffMs: z.number().int().nonnegative().optional(),
  /** What Meta (or the client that saw it) says the error means. */
  meaning: z.string(),
  /** What to do about it, shown to users with the error. */
  remedy: z.string(),
  /** Where the row comes from (a key of docs/graph-api.md#sources). */
  source: z.string(),
});
/** See {@link CatalogueEntry}. */
export type CatalogueEntry = z.infer<typeof CatalogueEntry>;

const RETRY_NEW = 'Create a new container after a delay (bounded attempts); check that the media URL is fast and stable.';
const FIX_MEDIA = 'Fix the media or the parameters, then publish again; retrying as is cannot succeed.';

/**
 * The default catalogue, built from docs/graph-api.md#the-catalogue and
 * docs/graph-api.md#throttle-codes: Meta's error reference first, then
 * subcodes seen in real clients, then generic Graph codes and HTTP statuses.
 * Users extend or override it by passing their own rows (they are looked up
 * before these).
 */
export const defaultCatalogue: readonly CatalogueEntry[] = [
  // Meta's Instagram error reference [EC]
  { subcode: 2207001, code: -1, errorClass: 'retry-later', asStatus: 'recreate-container', atPublish: 'ambiguous', meaning: 'Instagram server error', remedy: 'Back off and retry; as a container status, create a new container.', source: '[EC]' },
  { subcode: 2207003, code: -2, errorClass: 'recreate-container', maxAttempts: 3, meaning: 'Media download took too long', remedy: RETRY_NEW, source: '[EC]' },
  { subcode: 2207020, code: -2, errorClass: 'recreate-container', meaning: 'Media expired; upload again', remedy: 'Create a new container.', source: '[EC]' },
  { subcode: 2207032, code: -1, errorClass: 'recreate-container', meaning: 'Failed to create media container', remedy: RETRY_NEW, source: '[EC]' },
  { subcode: 2207053, code: -1, errorClass: 'recreate-container', meaning: 'Unknown upload error (video)', remedy: RETRY_NEW, source: '[EC]' },
  { subcode: 2207057, code: 1, errorClass: 'invalid-input', meaning: 'thumb_offset is outside 0…duration', remedy: 'Set thumbOffsetMs within the video duration.', source: '[EC]' },
  { subcode: 2207051, code: 4, errorClass: 'invalid-input', atPublish: 'ambiguous', meaning: 'Action restricted: suspected spam', remedy: 'Do not retry automatically; review the account in the Instagram app. After a publish attempt the post may be live: igflow verifies first.', source: '[EC], Postiz PR #1681' },
  { subcode: 2207042, code: 9, errorClass: 'quota', meaning: 'Daily publishing limit reached', remedy: 'Wait until the 24-hour window frees a slot; igflow waits and resumes.', source: '[EC]' },
  { subcode: 2207006, code: 24, errorClass: 'recreate-container', meaning: 'Media not found; maybe a missing permission or an expired token', remedy: 'Create a new container; if it repeats, check the token and its permissions.', source: '[EC]' },
  { subcode: 2207008, code: 24, errorClass: 'recreate-container', minBackoffMs: 30_000, meaning: 'Container does not exist or has expired', remedy: 'Retry once or twice within 2 minutes, then create a new container.', source: '[EC]' },
  { subcode: 2207050, code: 25, errorClass: 'auth', meaning: 'Instagram account restricted, inactive or checkpointed', remedy: 'Sign in to the Instagram app and clear the restriction, then resume.', source: '[EC]' },
  { subcode: 2207023, code: 100, errorClass: 'invalid-input', meaning: 'Unknown media_type', remedy: 'A bug in the request: report it to igflow.', source: '[EC]' },
  { subcode: 2207028, code: 100, errorClass: 'invalid-input', meaning: 'A carousel needs 2 to 10 items', remedy: 'Give the carousel 2 to 10 items.', source: '[EC]' },
  { subcode: 2207035, code: 100, errorClass: 'invalid-input', meaning: 'Product tag x/y given on a video', remedy: FIX_MEDIA, source: '[EC]' },
  { subcode: 2207036, code: 100, errorClass: 'invalid-input', meaning: 'Product tag x/y missing on a photo', remedy: FIX_MEDIA, source: '[EC]' },
  { subcode: 2207037, code: 100, errorClass: 'invalid-input', meaning: 'Product tag is invalid', remedy: FIX_MEDIA, source: '[EC]' },
  { subcode: 2207040, code: 100, errorClass: 'invalid-input', meaning: 'Too many @ tags (max 20)', remedy: 'Mention at most 20 accounts in the caption.', source: '[EC]' },
  { subcode: 2207026, code: 352, errorClass: 'invalid-input', meaning: 'Video format unsupported', remedy: 'Encode the video as MP4 or MOV (H.264/HEVC, AAC) and publish again.', source: '[EC]' },
  { subcode: 2207052, code: 9004, errorClass: 'recreate-container', maxAttempts: 3, meaning: 'Media could not be fetched from the URI', remedy: 'Make the media URL public (no auth, no localhost) and stable; igflow tries a few new containers, then gives up.', source: '[EC], Postiz PR #1900' },
  { subcode: 2207027, code: 9007, errorClass: 'not-ready', meaning: 'Media is not ready for publishing', remedy: 'Keep polling until the container is FINISHED; nothing was published.', source: '[EC]' },
  { subcode: 2207004, code: 36000, errorClass: 'invalid-input', meaning: 'Image is larger than 8 MiB', remedy: 'Compress the image below 8 MiB.', source: '[EC]' },
  { subcode: 2207005, code: 36001, errorClass: 'invalid-input', meaning: 'Image format not supported', remedy: 'Convert the image to JPEG.', source: '[EC]' },
  { subcode: 2207009, code: 36003, errorClass: 'invalid-input', meaning: 'Aspect ratio outside 4:5 to 1.91:1', remedy: 'Crop the image to a ratio between 4:5 and 1.91:1.', source: '[EC]' },
  { subcode: 2207010, code: 36004, errorClass: 'invalid-input', meaning: 'Caption too long (2200 characters, 30 hashtags, 20 mentions)', remedy: 'Shorten the caption.', source: '[EC]' },
  // Seen in real clients, absent from [EC]: meanings unverified
  { subcode: 2207076, errorClass: 'recreate-container', maxAttempts: 3, meaning: 'Media upload failed after fetch or transcode (unverified)', remedy: RETRY_NEW, source: 'third-party clients' },
  { subcode: 2207077, errorClass: 'recreate-container', maxAttempts: 3, meaning: 'Video download failed (unverified)', remedy: 'Serve the video with HTTP Range support from a stable URL.', source: 'third-party clients; Postiz' },
  { subcode: 2207082, errorClass: 'recreate-container', maxAttempts: 3, meaning: 'Video could not be processed, e.g. an audio-track mismatch (unverified)', remedy: RETRY_NEW, source: 'Postiz' },
  { subcode: 2207085, errorClass: 'invalid-input', meaning: 'Video could not be processed: format, duration or resolution (unverified)', remedy: FIX_MEDIA, source: 'Postiz PR #1992' },
  { subcode: 2207089, code: 100, errorClass: 'invalid-input', meaning: 'A VIDEO container was published as a standalone post', remedy: 'Publish single videos as reels (media_type REELS).', source: 'MookieLian/n8n-nodes-instagram #9' },
  { subcode: 2207081, errorClass: 'invalid-input', meaning: 'The account does not support trial reels (unverified)', remedy: 'Remove trialParams.', source: 'Postiz' },
  { subcode: 2207018, errorClass: 'invalid-input', meaning: 'A collaborator could not be tagged (unverified)', remedy: 'Check the collaborator usernames (no leading @, public professional accounts).', source: 'Postiz' },
  { code: 100, subcode: 33, errorClass: 'ambiguous', meaning: 'Object does not exist or permissions are missing (a known Meta read bug)', remedy: 'Re-read with backoff; a failed read never means the post failed.', source: 'gitroomhq/postiz-app #1562' },
  // [B]-only subcodes that [EC] defines elsewhere: low confidence
  { subcode: 2207016, errorClass: 'unknown', meaning: 'Unknown upload error (per [B] only; low confidence)', remedy: 'Retry a bounded number of times; report the fbtrace_id if it repeats.', source: '[B]' },
  { subcode: 2207024, errorClass: 'unknown', meaning: 'Publishing limit (per [B] only; low confidence)', remedy: 'Retry a bounded number of times; report the fbtrace_id if it repeats.', source: '[B]' },
  { subcode: 2207034, errorClass: 'unknown', meaning: 'Image too large (per [B] only; low confidence)', remedy: 'Retry a bounded number of times; report the fbtrace_id if it repeats.', source: '[B]' },
  { subcode: 2207048, errorClass: 'unknown', meaning: 'Caption too long (per [B] only; low confidence)', remedy: 'Retry a bounded number of times; report the fbtrace_id if it repeats.', source: '[B]' },
  // Generic Graph codes [EH] [RL]
  { code: 1, errorClass: 'retry-later', meaning: 'Unknown error, probably temporary', remedy: 'Back off and retry.', source: '[EH]' },
  { code: 2, errorClass: 'retry-later', meaning: 'Service temporarily unavailable', remedy: 'Back off and retry.', source: '[EH]' },
  { code: 4, errorClass: 'throttled', meaning: 'Application request limit reached', remedy: 'igflow slows the whole app down and retries when access is regained.', source: '[RL]' },
  { code: 17, errorClass: 'throttled', meaning: 'User request limit reached', remedy: 'igflow slows the whole account down and retries when access is regained.', source: '[RL]' },
  { code: 32, errorClass: 'throttled', meaning: 'Page request limit reached', remedy: 'igflow slows down and retries when access is regained.', source: '[RL]' },
  { code: 613, errorClass: 'throttled', meaning: 'Custom rate limit reached', remedy: 'igflow slows down and retries when access is regained.', source: '[RL]' },
  { code: 80002, errorClass: 'throttled', meaning: 'Instagram business use-case rate limit reached', remedy: 'igflow slows the whole account down and retries when access is regained.', source: '[RL]' },
  { code: 341, errorClass: 'throttled', meaning: 'Application limit reached (temporary)', remedy: 'igflow slows down and retries later.', source: '[EH]' },
  { code: 368, errorClass: 'retry-later', minBackoffMs: 3_600_000, meaning: 'Temporarily blocked for policy violations', remedy: 'Wait (igflow waits at least an hour) and review the account in the Instagram app.', source: '[EH]' },
  { code: 190, errorClass: 'auth', meaning: 'Access token expired, invalid or revoked', remedy: 'Get a new access token (IG_ACCESS_TOKEN) and resume.', source: '[EH]' },
  { code: 102, errorClass: 'auth', meaning: 'Session expired or invalid', remedy: 'Get a new access token (IG_ACCESS_TOKEN) and resume.', source: '[EH]' },
  { code: 10, errorClass: 'auth', meaning: 'Permission missing', remedy: 'Grant the publishing permissions to the app (instagram_business_content_publish or instagram_content_publish).', source: '[EH]' },
  { code: [200, 299], errorClass: 'auth', meaning: 'Permission missing', remedy: 'Grant the missing permission to the app and resume.', source: '[EH]' },
  { code: 506, errorClass: 'invalid-input', meaning: 'Duplicate post', remedy: 'Change the content; this post was already made.', source: '[EH]' },
  { code: 24, errorClass: 'recreate-container', meaning: 'Media or container not found', remedy: 'Create a new container.', source: '[EC]' },
  { code: 100, errorClass: 'invalid-input', meaning: 'Invalid parameter', remedy: FIX_MEDIA, source: '[EH]' },
  // HTTP statuses, when the body says nothing better
  { httpStatus: 429, errorClass: 'throttled', meaning: 'Too many requests', remedy: 'igflow slows down and retries later.', source: 'HTTP' },
  { httpStatus: 500, errorClass: 'retry-later', meaning: 'Server error', remedy: 'Back off and retry.', source: 'HTTP; [EH]' },
];
