import { catchError, map, of, type Observable } from 'rxjs';
import type { MediaItem } from '../graph/client.js';
import type { MediaMatch } from '../machines/effect-contract.js';
import type { EffectDeps } from './effect-deps.js';
import { graphCall } from './graph-call.js';

/** How far before the publish attempt a media timestamp may lie (second-precision timestamps, clock skew). */
const RECOVERY_MARGIN_MS = 10 * 60_000;

const sameCaption = (a: string | undefined, b: string | undefined) => (a ?? '').trim() === (b ?? '').trim();

/**
 * Finds the media a publish attempt made, in the user's recent media (or
 * stories): same product and media type, same caption (stories have none),
 * published at or after the attempt (less a margin), not one of the ids
 * known to be other posts', the earliest such one. Only called once the
 * container reads PUBLISHED, so it names the media, it never decides
 * whether there is one. Never `data[0]` blindly: another post of the same
 * account could bind the wrong id (docs/graph-api.md#recovering-the-media-id). Emits undefined
 * when nothing matches or the listing fails.
 */
export function recoverMediaId(deps: EffectDeps, account: string, match: MediaMatch, attemptAt: number): Observable<string | undefined> {
  const since = attemptAt - RECOVERY_MARGIN_MS;
  const list =
    match.productType === 'STORY'
      ? graphCall(deps, account, 'read', (graph, signal) => graph.recentStories({ signal }))
      : graphCall(deps, account, 'read', (graph, signal) => graph.recentMedia({ signal, sinceMs: since, limit: 50 }));
  return list.pipe(
    map((items: readonly MediaItem[]) =>
      items
        .filter((m) => (m.productType === undefined || m.productType === match.productType) && (m.mediaType === undefined || m.mediaType === match.mediaType))
        .filter((m) => (m.timestamp ?? 0) >= since && !match.exclude.includes(m.id))
        .filter((m) => match.productType === 'STORY' || sameCaption(m.caption, match.caption))
        .sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0))[0]?.id,
    ),
    catchError(() => of(undefined)),
  );
}
