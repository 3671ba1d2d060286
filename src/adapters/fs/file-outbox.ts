import { readdirSync, statSync } from 'node:fs';
import type { Subscription } from 'rxjs';
import { z } from 'zod';
import { PostStatus, type PostEnvelope } from '../envelope.js';
import {
  claimDelivery,
  deliveredState,
  deliveryClaimable,
  deliveryDueAt,
  entryOf,
  freshDelivery,
  holdsDelivery,
  prunable,
  retryState,
  type DeliveryState,
} from '../outbox-rules.js';
import type { DeliveryClaim, FollowOptions, Outbox, OutboxEntry, PostRepository } from '../store.js';
import { writeFileAtomic, writeFileVisible } from './atomic-file.js';
import { ignoreMissing, unlinkQuietly } from './errno.js';
import { readJson } from './small-file.js';
import type { FileStoreContext } from './store-context.js';

/**
 * The file store's outbox, in `outbox/`:
 *
 * - `<postId>.json`, the marker: `{ postId, key, account, status, at }`,
 *   written durably (temp, fsync, rename, fsync of the directory) under
 *   the post's lock *before* the write that finishes the post is committed
 *   (fs/file-queue.ts). A crash between the two leaves a marker whose post
 *   is not finished: it counts for nothing until the post is finished (it
 *   then is written again), so no finish is ever without its marker and no
 *   marker speaks for an outcome that did not happen. What an entry says
 *   of the outcome is read from the post itself.
 * - `<postId>.delivery`: the webhook delivery's state (attempts, next
 *   attempt, lease), written under the post's lock like a lease file
 *   (atomic, not fsynced: a lost one means one more delivery, never none).
 * - `<postId>.done`: delivered; the directory listing alone tells the
 *   undelivered entries.
 *
 * `prune` removes a delivered entry's three files under the post's lock,
 * the marker first (so a prune cut short leaves files no listing counts,
 * or at worst an entry sent once more, never one lost), and fsyncs the
 * directory once per call.
 *
 * `follow` polls the directory's names on the engine's clock (one readdir
 * a tick, no post read but for names it has not seen), never the posts.
 */

/** A marker this recent (ms, wall clock) when a follower starts may belong to a finish still being committed: it is looked at again. */
const RECENT_MS = 10_000;

const Marker = z.object({ postId: z.string().min(1), key: z.string().min(1).optional(), account: z.string().min(1), status: PostStatus.exclude(['active']), at: z.number() });
type Marker = z.infer<typeof Marker>;
/** What the outbox's scans keep of a marker: the post id its file is named by, and when the post finished (the entry's `at`). */
interface Marked {
  readonly postId: string;
  readonly at: number;
}

const Lease = z.object({ owner: z.string(), token: z.string(), until: z.number() });
const Delivery = z.object({ attempts: z.number().int().nonnegative(), nextAt: z.number(), deliveredAt: z.number().optional(), lease: Lease.optional() });

/** The marker's text for a post being finished. */
const markerText = (post: PostEnvelope): string =>
  `${JSON.stringify({ postId: post.postId, ...(post.key === undefined ? {} : { key: post.key }), account: post.account, status: post.status, at: post.updatedAt })}\n`;

/** Writes the outbox marker of `post` (being finished) durably, before the finish is committed; `beforeCommit` as in writeFileAtomic. */
export async function writeOutboxMarker(ctx: FileStoreContext, post: PostEnvelope, beforeCommit: () => void): Promise<void> {
  await writeFileAtomic(ctx.layout.outboxFile(post.postId), markerText(post), beforeCommit, ctx.durability);
}

/** The names in `outbox/` (none when it does not exist yet). */
function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (error) {
    ignoreMissing(error);
    return [];
  }
}

/** The post ids with a marker, and those delivered. */
function listOutbox(dir: string): { readonly markers: string[]; readonly done: Set<string> } {
  const markers: string[] = [];
  const done = new Set<string>();
  for (const name of namesIn(dir)) {
    if (name.startsWith('.')) continue;
    if (name.endsWith('.json')) markers.push(name.slice(0, -'.json'.length));
    else if (name.endsWith('.done')) done.add(name.slice(0, -'.done'.length));
  }
  return { markers, done };
}

/** The file store's {@link Outbox} (see above). */
export function fileOutbox(ctx: FileStoreContext, posts: PostRepository): Outbox {
  const { layout } = ctx;

  /** The entry of a marker when its post is finished; undefined while it is not. */
  const entryOfMarker = async (marker: Marked): Promise<OutboxEntry | undefined> => {
    const post = await posts.get(marker.postId);
    if (post === undefined || post.status === 'active') return undefined;
    return entryOf(marker.postId, post, marker.at);
  };

  /** The entry of `postId` when its post is finished; undefined while it is not (or has no readable marker). */
  const entryFor = async (postId: string): Promise<OutboxEntry | undefined> => {
    const marker: Marker | undefined = await readJson(layout.outboxFile(postId), Marker);
    return marker === undefined ? undefined : entryOfMarker({ postId, at: marker.at });
  };

  /** The delivery state of a marker's entry (a new one is due when its post finished). */
  const deliveryOf = async (marker: Marked): Promise<DeliveryState> => (await readJson(layout.deliveryFile(marker.postId), Delivery)) ?? freshDelivery(marker.at);

  const writeDelivery = (postId: string, state: DeliveryState, assertLocked: () => void): void => {
    writeFileVisible(layout.deliveryFile(postId), `${JSON.stringify(state)}\n`, assertLocked);
  };

  /**
   * The readable markers not delivered, oldest first (as entries are
   * ordered: the marker's `at` is the entry's), their posts not read: the
   * marker and the delivery file tell whether an entry is due, and only an
   * entry about to be claimed or to set the next wake-up needs its post.
   */
  const undelivered = async (): Promise<Marked[]> => {
    const { markers, done } = listOutbox(layout.outbox);
    const found: Marked[] = [];
    for (const postId of markers) {
      if (done.has(postId)) continue;
      const marker = await readJson(layout.outboxFile(postId), Marker);
      if (marker !== undefined) found.push({ postId, at: marker.at });
    }
    return found.sort((a, b) => a.at - b.at || (a.postId < b.postId ? -1 : 1));
  };

  /** Runs `change` on a claimed entry's state under its post's lock, when the claim still holds it. */
  const whileHeld = (claim: DeliveryClaim, change: (state: DeliveryState, assertLocked: () => void) => void): Promise<boolean> =>
    ctx.locked(claim.entry.postId, async (assertLocked) => {
      const state = await readJson(layout.deliveryFile(claim.entry.postId), Delivery);
      if (!holdsDelivery(state, claim)) return false;
      change(state, assertLocked);
      return true;
    });

  /** Starts following (see {@link Outbox.follow}): the markers of finishes older than {@link RECENT_MS} are passed over, the others told once their post is finished. */
  const startFollowing = (listener: (entry: OutboxEntry) => void, options: FollowOptions): (() => Promise<void>) => {
      const seen = new Set<string>();
    const startedAt = Date.now();
    for (const postId of listOutbox(layout.outbox).markers) {
      const mtime = statSync(layout.outboxFile(postId), { throwIfNoEntry: false })?.mtimeMs;
      if (mtime !== undefined && startedAt - mtime > RECENT_MS) seen.add(postId);
    }
    let stopped = false;
    let looking: Promise<void> = Promise.resolve();
    const look = async (): Promise<void> => {
      for (const postId of listOutbox(layout.outbox).markers) {
        if (stopped) return;
        if (seen.has(postId)) continue;
        const entry = await entryFor(postId).catch(() => undefined);
        if (entry === undefined) continue; // not finished yet (or unreadable now): looked at again next tick
        seen.add(postId);
        listener(entry);
      }
    };
    let timer: Subscription | undefined;
    const arm = (): void => {
      timer = options.clock.schedule(() => {
        looking = look().catch(() => undefined);
        void looking.then(() => {
          if (!stopped) arm();
        });
      }, options.pollMs);
    };
    arm();
    return async () => {
      stopped = true;
      timer?.unsubscribe();
      await looking;
    };
  };

  return {
    follow: (listener, options) => new Promise((resolve) => resolve(startFollowing(listener, options))),

    async claimDeliveries(request) {
      const claims: DeliveryClaim[] = [];
      for (const marker of await undelivered()) {
        if (claims.length >= request.limit) break;
        // looked at without the lock first: an entry not due (or leased) is passed over without reading its post
        if (!deliveryClaimable(await deliveryOf(marker), request.now)) continue;
        const entry = await entryOfMarker(marker);
        if (entry === undefined) continue;
        const claim = await ctx.locked(entry.postId, async (assertLocked) => {
          if (statSync(layout.doneFile(entry.postId), { throwIfNoEntry: false }) !== undefined) return undefined;
          if (statSync(layout.outboxFile(entry.postId), { throwIfNoEntry: false }) === undefined) return undefined; // pruned since the listing
          const state = await deliveryOf(marker);
          if (!deliveryClaimable(state, request.now)) return undefined;
          const claimed = claimDelivery(entry, state, request.owner, request.until);
          writeDelivery(entry.postId, claimed.state, assertLocked);
          return claimed.claim;
        });
        if (claim !== undefined) claims.push(claim);
      }
      return claims;
    },

    delivered: (claim, at) =>
      whileHeld(claim, (state, assertLocked) => {
        writeDelivery(claim.entry.postId, deliveredState(state, at), assertLocked);
        writeFileVisible(layout.doneFile(claim.entry.postId), '', assertLocked);
      }),

    retryAt: (claim, nextAt) => whileHeld(claim, (state, assertLocked) => writeDelivery(claim.entry.postId, retryState(state, nextAt), assertLocked)),

    async nextDeliveryAt(now) {
      const due: { readonly marker: Marked; readonly at: number }[] = [];
      for (const marker of await undelivered()) {
        const at = deliveryDueAt(await deliveryOf(marker), now);
        if (at !== undefined) due.push({ marker, at });
      }
      // the first due whose post is finished: a marker whose post is not (a crash between the two) counts for nothing
      for (const { marker, at } of due.sort((a, b) => a.at - b.at)) if ((await entryOfMarker(marker)) !== undefined) return at;
      return undefined;
    },

    async prune({ before, limit }) {
      const old: Marker[] = [];
      for (const postId of listOutbox(layout.outbox).markers) {
        const marker = await readJson(layout.outboxFile(postId), Marker);
        if (marker !== undefined && marker.at < before) old.push(marker);
      }
      let removed = 0;
      for (const marker of old.sort((a, b) => a.at - b.at)) {
        if (removed >= limit) break;
        const { postId } = marker;
        const gone = await ctx.locked(postId, async (assertLocked) => {
          const state = await readJson(layout.deliveryFile(postId), Delivery);
          if (state === undefined || !prunable(state, marker.at, before)) return false; // no delivery state (never claimed, lost, or pruned meanwhile): kept
          assertLocked();
          for (const file of [layout.outboxFile(postId), layout.deliveryFile(postId), layout.doneFile(postId)]) unlinkQuietly(file);
          return true;
        });
        if (gone) removed += 1;
      }
      if (removed > 0) await ctx.durability.dir(layout.outbox);
      return removed;
    },
  };
}
