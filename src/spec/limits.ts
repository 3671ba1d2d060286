/**
 * Every number the post-spec schemas enforce, in one place.
 *
 * Each entry names the line of `graph-api-facts.md` (the project's offline
 * reference) it comes from. Entries marked "ours" are igflow's own guards,
 * not Meta's rules. Meta edits its limits often: change them here, never in
 * the schemas.
 */
export const limits = deepFreeze({
  caption: {
    /** graph-api-facts.md line 136: caption ≤ 2200 characters, counted here as UTF-16 units (the conservative count). */
    maxLength: 2200,
    /** graph-api-facts.md line 137: ≤ 30 hashtags per caption. */
    maxHashtags: 30,
    /** graph-api-facts.md line 138: ≤ 20 @mentions per caption ([EC] 2207040). */
    maxMentions: 20,
  },
  altText: {
    /** graph-api-facts.md line 140: alt_text ≤ 1000 characters (UTF-16 units here). */
    maxLength: 1000,
  },
  carousel: {
    /** graph-api-facts.md line 141 (and line 71, [EC] 2207028): at least 2 items. */
    minItems: 2,
    /** graph-api-facts.md line 141 (and line 71): at most 10 items. */
    maxItems: 10,
  },
  stories: {
    /** graph-api-facts.md line 361 ("Empty posts"): a post with no media is rejected, so at least 1 item. */
    minItems: 1,
    /** Ours: Meta has no grouped stories (line 74); 100 caps one sequence so a typo cannot queue thousands. */
    maxItems: 100,
  },
  collaborators: {
    /** graph-api-facts.md line 153: ≤ 3 collaborator usernames. */
    maxCount: 3,
  },
  brandedContentSponsorIds: {
    /** graph-api-facts.md line 154: ≤ 2 sponsor IG user IDs (Facebook Login only). */
    maxCount: 2,
  },
  userTags: {
    /** graph-api-facts.md line 155: x and y lie in 0.0–1.0, measured from the top-left. */
    minCoordinate: 0,
    /** graph-api-facts.md line 155: x and y lie in 0.0–1.0. */
    maxCoordinate: 1,
    /** Ours: line 155 says a maximum count is unverified; 1000 only guards against runaway input. */
    maxCount: 1000,
  },
  username: {
    /** Ours: graph-api-facts.md gives no handle length; 30 is Instagram's public handle limit (not in the facts file). */
    maxLength: 30,
  },
  thumbOffsetMs: {
    /** graph-api-facts.md line 149: thumb_offset is in ms and ≥ 0 (the "< duration" half needs the video, so Meta checks it: 2207057). */
    min: 0,
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
