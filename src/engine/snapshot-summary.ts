import type { StateValue } from 'xstate';
import type { WaitReason } from './engine-events.js';

/** The top-level state of a snapshot value: `preparing` for `{ preparing: 'single' }`. */
export function topState(value: StateValue | undefined): string {
  if (value === undefined) return 'unknown';
  return typeof value === 'string' ? value : (Object.keys(value)[0] ?? 'unknown');
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
