import { MissingSchemaError } from '../adapters/postgres/schema-check.js';
import type { Store } from '../adapters/store.js';
import type { Clock } from '../time/clock.js';
import { postCard, type PartView, type PostCard } from './post-card.js';

/** One thing the view saw happen to a post, at the store's time of the write that showed it. */
export interface HistoryEntry {
  readonly at: number;
  readonly text: string;
}

/** A post's card with its history: what the envelope says (created, last written) and every change this view observed. */
export interface WatchedPost extends PostCard {
  readonly history: readonly HistoryEntry[];
}

/** What a feed tells its listeners. */
export type FeedChange =
  | { readonly type: 'post'; readonly post: WatchedPost }
  | { readonly type: 'gone'; readonly postId: string }
  | { readonly type: 'problem'; readonly message: string | null };

/** The store's posts as cards, kept current by polling the store. */
export interface PostFeed {
  /** The cards as of the last read of the store, oldest post first. */
  current(): readonly WatchedPost[];
  /** Why the last read of the store failed; null when it worked. */
  problem(): string | null;
  /** Reads the store now and resolves to the cards it holds. */
  refresh(): Promise<readonly WatchedPost[]>;
  /** Calls `listener` with every change; returns the function that stops it. */
  subscribe(listener: (change: FeedChange) => void): () => void;
  /** Stops polling; resolves once a read in flight has ended. */
  close(): Promise<void>;
}

/** Options of {@link postFeed}. */
export interface PostFeedOptions {
  readonly clock: Clock;
  /** How often the store is read (ms). */
  readonly pollMs: number;
  /** At most this many history entries per post (the oldest go first). */
  readonly historyLimit?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

function partLine(part: PartView): string {
  return `${part.label}: ${part.state ?? 'unknown'}${part.containerId === null ? '' : ` (container ${part.containerId})`}`;
}

/** What changed between two cards of a post, as history lines. */
function changes(before: PostCard | undefined, after: PostCard): string[] {
  const lines: string[] = [];
  if (before === undefined || before.state !== after.state) lines.push(`state ${after.state}`);
  for (const part of after.parts) {
    const old = before?.parts.find((p) => p.label === part.label);
    if (old === undefined || old.state !== part.state || old.containerId !== part.containerId) lines.push(partLine(part));
  }
  const wait = after.wait;
  if (wait !== null && (before?.wait?.until !== wait.until || before.wait.reason !== wait.reason)) lines.push(`waiting until ${iso(wait.until)} (${wait.reason})`);
  if (after.mediaId !== null && before?.mediaId !== after.mediaId) lines.push(`published, media ${after.mediaId}`);
  if (after.error !== null && before?.error?.message !== after.error.message) lines.push(`failed: ${after.error.message}`);
  return lines;
}

/** A finished post whose snapshot was compacted keeps the parts the view last saw, updated by what its result says. */
function keepParts(before: WatchedPost | undefined, card: PostCard): PostCard {
  if (before === undefined || card.status === 'active' || card.parts.length >= before.parts.length) return card;
  const parts = before.parts.map((part) => card.parts.find((p) => p.label === part.label) ?? part);
  return { ...card, parts: [...parts, ...card.parts.filter((p) => !parts.includes(p))] };
}

/**
 * The store's posts as cards, read with `store.posts.list()` every
 * `pollMs` on `clock` and diffed, so a change made by any process sharing
 * the store (file or PostgreSQL) reaches the listeners within one poll.
 * A read that fails is reported as a `problem` and tried again at the next
 * poll; the cards stay as last read.
 */
export function postFeed(store: Store, options: PostFeedOptions): PostFeed {
  const limit = options.historyLimit ?? 100;
  const posts = new Map<string, WatchedPost>();
  const shown = new Map<string, string>();
  const listeners = new Set<(change: FeedChange) => void>();
  let problem: string | null = null;
  let closed = false;
  let inFlight: Promise<void> = Promise.resolve();
  let timer: { unsubscribe(): void } | undefined;

  const tell = (change: FeedChange): void => {
    for (const listener of listeners) listener(change);
  };

  const read = async (): Promise<void> => {
    let listing;
    try {
      listing = await store.posts.list();
    } catch (error) {
      const message = error instanceof MissingSchemaError
        ? `no igflow schema ${error.schema} in this database yet (igflow publish, resume and work create it); looking again`
        : `the store cannot be read (${error instanceof Error ? error.name : 'error'}); trying again`;
      if (problem !== message) tell({ type: 'problem', message });
      problem = message;
      return;
    }
    if (problem !== null) tell({ type: 'problem', message: null });
    problem = null;
    const seen = new Set<string>();
    for (const envelope of listing.posts) {
      seen.add(envelope.postId);
      const before = posts.get(envelope.postId);
      const card = keepParts(before, postCard(envelope));
      const fresh = before === undefined ? [{ at: envelope.createdAt, text: 'created' }] : [];
      const added = changes(before, card).map((text) => ({ at: envelope.updatedAt, text }));
      const history = [...(before?.history ?? []), ...fresh, ...added].slice(-limit);
      const post: WatchedPost = { ...card, history };
      const serialised = JSON.stringify(post);
      if (shown.get(envelope.postId) === serialised) continue;
      posts.set(envelope.postId, post);
      shown.set(envelope.postId, serialised);
      tell({ type: 'post', post });
    }
    for (const postId of [...posts.keys()]) {
      if (seen.has(postId)) continue;
      posts.delete(postId);
      shown.delete(postId);
      tell({ type: 'gone', postId });
    }
  };

  const refresh = (): Promise<readonly WatchedPost[]> => {
    // a read never rejects the chain: what it could not do is reported, and the next poll tries again
    inFlight = inFlight.then(read).catch((error: unknown) => tell({ type: 'problem', message: `the store's posts could not be shown (${error instanceof Error ? error.name : 'error'})` }));
    return inFlight.then(() => [...posts.values()]);
  };

  const loop = (): void => {
    if (closed) return;
    timer = options.clock.schedule(() => {
      void refresh().then(loop);
    }, options.pollMs);
  };
  void refresh().then(loop);

  return {
    current: () => [...posts.values()],
    problem: () => problem,
    refresh,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      timer?.unsubscribe();
      listeners.clear();
      await inFlight;
    },
  };
}
