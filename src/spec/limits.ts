/**
 * Every number the post-spec schemas enforce, in one place.
 *
 * Each entry names the anchor of `docs/graph-api.md` (the project's Graph
 * API reference) it comes from. Entries marked "ours" are igflow's own guards,
 * not Meta's rules. Meta edits its limits often: change them here, never in
 * the schemas.
 */
export const limits = deepFreeze({
  caption: {
    /** docs/graph-api.md#limits-checked-before-any-request: caption ≤ 2200 characters, counted here as UTF-16 units (the conservative count). */
    maxLength: 2200,
    /** docs/graph-api.md#limits-checked-before-any-request: ≤ 30 hashtags per caption. */
    maxHashtags: 30,
    /** docs/graph-api.md#limits-checked-before-any-request: ≤ 20 @mentions per caption ([EC] 2207040). */
    maxMentions: 20,
  },
  altText: {
    /** docs/graph-api.md#limits-checked-before-any-request: alt_text ≤ 1000 characters (UTF-16 units here). */
    maxLength: 1000,
  },
  carousel: {
    /** docs/graph-api.md#limits-checked-before-any-request (and docs/graph-api.md#carousels, [EC] 2207028): at least 2 items. */
    minItems: 2,
    /** docs/graph-api.md#limits-checked-before-any-request (and docs/graph-api.md#carousels): at most 10 items. */
    maxItems: 10,
  },
  stories: {
    /** docs/graph-api.md#pitfalls-seen-in-real-clients ("No media at all"): a post with no media is rejected, so at least 1 item. */
    minItems: 1,
    /** Ours: Meta has no grouped stories (docs/graph-api.md#stories-in-sequence); 100 caps one sequence so a typo cannot queue thousands. */
    maxItems: 100,
  },
  collaborators: {
    /** docs/graph-api.md#limits-checked-before-any-request: ≤ 3 collaborator usernames. */
    maxCount: 3,
  },
  brandedContentSponsorIds: {
    /** docs/graph-api.md#limits-checked-before-any-request: ≤ 2 sponsor IG user IDs (Facebook Login only). */
    maxCount: 2,
  },
  userTags: {
    /** docs/graph-api.md#limits-checked-before-any-request: x and y lie in 0.0–1.0, measured from the top-left. */
    minCoordinate: 0,
    /** docs/graph-api.md#limits-checked-before-any-request: x and y lie in 0.0–1.0. */
    maxCoordinate: 1,
    /** Ours: docs/graph-api.md#limits-checked-before-any-request says a maximum count is unverified; 1000 only guards against runaway input. */
    maxCount: 1000,
  },
  username: {
    /** Ours: docs/graph-api.md#limits-checked-before-any-request gives no source for a handle length; 30 is Instagram's public handle limit (marked unverified there). */
    maxLength: 30,
  },
  thumbOffsetMs: {
    /** docs/graph-api.md#limits-checked-before-any-request: thumb_offset is in ms and ≥ 0 (the "< duration" half needs the video, so Meta checks it: 2207057). */
    min: 0,
  },
  videoFile: {
    /** docs/graph-api.md#resumable-upload: a reel (and, by the same rules, a carousel video) is at most 300 MB. */
    reelMaxBytes: 300 * 1024 * 1024,
    /** docs/graph-api.md#resumable-upload: a video story is at most 100 MB. */
    storyMaxBytes: 100 * 1024 * 1024,
  },
  media: {
    /** docs/graph-api.md#media-checks-before-any-container: JPEG only for feed, story and carousel images and reel covers; at most 8 MiB ([UM] says 8 MB, [EC] 2207004 8 MiB: the larger is refused by both). */
    imageMaxBytes: 8 * 1024 * 1024,
    /** docs/graph-api.md#media-checks-before-any-container: a feed or carousel image is at least 4:5 (width ÷ height 0.8), [UM], [EC] 2207009. */
    feedImageMinRatio: 0.8,
    /** docs/graph-api.md#media-checks-before-any-container: a feed or carousel image is at most 1.91:1, [UM], [EC] 2207009. */
    feedImageMaxRatio: 1.91,
    /** Ours: how far past a ratio bound an image may be before it is refused (a pixel of rounding on 1080 × 1350 is 0.0006). */
    ratioTolerance: 0.005,
    /** docs/graph-api.md#media-checks-before-any-container: a reel lasts at least 3 s ([UM]). */
    reelMinMs: 3_000,
    /** docs/graph-api.md#media-checks-before-any-container: a reel lasts at most 15 min ([UM]). */
    reelMaxMs: 15 * 60_000,
    /** docs/graph-api.md#media-checks-before-any-container: a reel is at most 300 MB ([UM], 2026 copy; older copies allowed 1 GB). */
    reelMaxBytes: 300 * 1024 * 1024,
    /** docs/graph-api.md#media-checks-before-any-container: a story video lasts at least 3 s ([UM]). */
    storyVideoMinMs: 3_000,
    /** docs/graph-api.md#media-checks-before-any-container: a story video lasts at most 60 s ([UM]). */
    storyVideoMaxMs: 60_000,
    /** docs/graph-api.md#media-checks-before-any-container: a story video is at most 100 MB ([UM]). */
    storyVideoMaxBytes: 100 * 1024 * 1024,
    /** docs/graph-api.md#media-checks-before-any-container: a carousel video's limits are unverified; igflow refuses only below a reel's 3 s… */
    carouselVideoMinMs: 3_000,
    /** …or above a reel's 15 min (the lenient reading: older copies said 60 s), docs/graph-api.md#media-checks-before-any-container. */
    carouselVideoMaxMs: 15 * 60_000,
    /** …or above a reel's 300 MB (as `videoFile.reelMaxBytes`), docs/graph-api.md#media-checks-before-any-container. */
    carouselVideoMaxBytes: 300 * 1024 * 1024,
  },
  mediaCheck: {
    /** Ours: the first bytes read of each media (a ranged GET); enough for a JPEG's frame header behind 64 KiB of EXIF and an MP4's front moov header. */
    headBytes: 256 * 1024,
    /** Ours: the longest one media check may take, connect to last byte; a URL slower than that is a warning, not a refusal. */
    timeoutMs: 10_000,
    /** Ours: redirects followed at most, then the URL counts as unreachable (a warning). */
    maxRedirects: 5,
    /** Ours: media checked at once for one post. */
    concurrency: 4,
  },
  validation: {
    /** Ours: an array longer than this (or than its own maximum, if larger) is rejected without inspecting its items one by one. */
    maxInspectedItems: 1000,
  },
  idempotencyKey: {
    /** Ours: the contract (`id`) sets no length; 200 keeps keys usable as store keys. */
    maxLength: 200,
  },
}) satisfies LimitGroups;

/** The shape every `limits` entry has: nested groups of numbers. */
type LimitGroups = { readonly [group: string]: { readonly [limit: string]: number } };

function deepFreeze<const T extends Record<string, Record<string, number>>>(value: T): T {
  for (const group of Object.values(value)) Object.freeze(group);
  return Object.freeze(value);
}
