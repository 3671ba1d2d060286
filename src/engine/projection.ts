import type { ErrorJson } from '../graph/igflow-error.js';
import type { PostOutcome } from '../machines/outcome.js';
import type { MachineEmitted } from '../machines/progress.js';
import type { EngineEvent, EventError } from './engine-events.js';

/** An error as events show it: what the contract's `--json` output promises, and the remedy. */
export function eventError(error: Partial<ErrorJson> | undefined): EventError {
  return {
    code: error?.code ?? null,
    subcode: error?.subcode ?? null,
    retryable: error?.retryable ?? false,
    message: error?.message ?? 'failed',
    errorClass: error?.errorClass ?? 'unknown',
    remedy: error?.remedy ?? '',
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The engine event of what a machine emitted: its state (`state`), a
 * container's progress (`container`), a wait (`waiting`). Nothing here
 * reads a state name or an actor id: the machines say what they do.
 */
export function eventOfEmitted(postId: string, at: string, emitted: MachineEmitted): EngineEvent {
  switch (emitted.type) {
    case 'state':
      return { type: 'state', postId, at, state: emitted.state, ...(emitted.story === undefined ? {} : { story: emitted.story }) };
    case 'container':
      return { type: 'container', postId, at, role: emitted.role, item: emitted.item ?? null, story: emitted.story ?? null, state: emitted.state, containerId: emitted.containerId ?? null };
    case 'waiting':
      return {
        type: 'waiting',
        postId,
        at,
        until: iso(emitted.until),
        reason: emitted.reason,
        ...(emitted.since === undefined ? {} : { since: iso(emitted.since) }),
        ...(emitted.error === undefined ? {} : { error: eventError(emitted.error) }),
        ...(emitted.publishAt === undefined ? {} : { publishAt: iso(emitted.publishAt) }),
      };
    case 'comment':
      return emitted.outcome === 'posted' || emitted.outcome === 'found'
        ? { type: 'comment', postId, at, mediaId: emitted.mediaId, commentId: emitted.commentId ?? '', found: emitted.outcome === 'found' }
        : {
            type: 'comment-failed',
            postId,
            at,
            mediaId: emitted.mediaId,
            error: eventError(emitted.error),
            retrying: emitted.outcome === 'retrying',
            ...(emitted.until === undefined ? {} : { retryAt: iso(emitted.until) }),
          };
  }
}

/** The last event of a post: `published`, `failed` or `cancelled`, from its outcome. */
export function eventOfOutcome(postId: string, at: string, outcome: PostOutcome): EngineEvent {
  if (outcome.outcome === 'cancelled') return { type: 'cancelled', postId, at, cancelledAt: iso(outcome.at) };
  const stories = outcome.stories === undefined ? {} : { stories: outcome.stories };
  return outcome.outcome === 'published'
    ? { type: 'published', postId, at, mediaId: outcome.mediaId, containerId: outcome.containerId, ...stories, ...(outcome.commentId === undefined ? {} : { commentId: outcome.commentId }) }
    : { type: 'failed', postId, at, error: eventError(outcome.error), ...stories };
}

/**
 * Drops repeats: a `state` event equal to the post's last one (a story of a
 * sequence counts apart), so a machine re-entering a state it is in is not
 * news.
 */
export function stateRepeats(): (event: EngineEvent) => boolean {
  const last = new Map<string, string>();
  return (event) => {
    if (event.type === 'published' || event.type === 'failed' || event.type === 'cancelled' || event.type === 'interrupted') {
      for (const key of [...last.keys()]) if (key.startsWith(`${event.postId}|`)) last.delete(key);
      return false;
    }
    if (event.type !== 'state') return false;
    const key = `${event.postId}|${event.story ?? ''}`;
    if (last.get(key) === event.state) return true;
    last.set(key, event.state);
    return false;
  };
}
