import type { StateValue } from 'xstate';
import type { WaitReason } from './engine-events.js';

/** The top-level state of a snapshot value: `preparing` for `{ preparing: 'single' }`. */
export function topState(value: StateValue | undefined): string {
  if (value === undefined) return 'unknown';
  return typeof value === 'string' ? value : (Object.keys(value)[0] ?? 'unknown');
}

interface SnapshotLike {
  readonly value?: StateValue;
  readonly machine?: { readonly id: string };
  readonly children?: Record<string, unknown>;
}

/** The snapshot of a child, from a live snapshot (an actor ref) or a persisted one (`{ snapshot }`). */
function childSnapshot(child: unknown): SnapshotLike | undefined {
  if (typeof child !== 'object' || child === null) return undefined;
  const live = child as { getSnapshot?: () => unknown };
  if (typeof live.getSnapshot === 'function') return live.getSnapshot() as SnapshotLike;
  return 'snapshot' in child ? (child.snapshot as SnapshotLike) : undefined;
}

/**
 * Where a post is, for waiting reasons and the store's summary: the
 * top-level state, except that a sequence of stories is where its current
 * story is (`waitingQuota`, not `posting`). Takes a live or a persisted snapshot.
 */
export function activeState(snapshot: unknown): string {
  const root = (snapshot ?? {}) as SnapshotLike;
  const story = root.value === 'posting' ? childSnapshot(root.children?.story) : undefined;
  return topState(story?.value ?? root.value);
}

/** Why a post in this top-level state is waiting, for `waiting` events and `igflow status`. */
export function waitReason(state: string): WaitReason {
  switch (state) {
    case 'scheduled':
    case 'ready':
      return 'schedule';
    case 'waitingQuota':
      return 'quota';
    case 'verifying':
      return 'verification';
    case 'retryingPublish':
      return 'backoff';
    default:
      return 'processing';
  }
}
