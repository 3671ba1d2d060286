import type { WaitReason } from '../machines/progress.js';

/**
 * Why a running wait waits, for a post that is not parked (a parked post's
 * envelope says why itself): read from the machine and the state that
 * invoked the wait, as the machines emit it (docs/machines). A wait the
 * table does not know is a `backoff`.
 */
const reasons: Readonly<Record<string, Readonly<Record<string, WaitReason>>>> = {
  post: { scheduled: 'schedule', ready: 'schedule', waitingQuota: 'quota', waitingAuth: 'auth', retryingPublish: 'backoff', verifying: 'verification' },
  container: { polling: 'processing' },
};

/** The reason of a wait run by `machine` (`post`, `story`, `container`) in state `path`. */
export function waitReasonOf(machine: string, path: string): WaitReason {
  const table = reasons[machine === 'story' ? 'post' : machine];
  const top = path.split('.')[0] ?? '';
  return table?.[top] ?? 'backoff';
}
