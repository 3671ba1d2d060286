import type { ContainerRecord } from './record.js';

/** The `status_code` values of an IG Container (docs/graph-api.md#status-codes). */
export type StatusCode = 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'EXPIRED' | 'PUBLISHED';

/** How an ERROR status is spelled (docs/graph-api.md#reading-the-status-text). */
export type StatusForm = 'prose' | 'bare' | 'empty-code';

/**
 * A container's status at `now`, computed from its timestamps (no timers):
 * published wins; an ERROR outcome shows once processing time has passed and
 * then stays (an ERROR never recovers, docs/graph-api.md#status-codes); otherwise EXPIRED
 * after `expiresAt`, IN_PROGRESS before `readyAt`, FINISHED in between.
 */
export function statusAt(container: ContainerRecord, now: number): StatusCode {
  if (container.publishedAt !== undefined) return 'PUBLISHED';
  if (container.outcome.type === 'error' && now >= container.readyAt) return 'ERROR';
  if (now >= container.expiresAt) return 'EXPIRED';
  return now < container.readyAt ? 'IN_PROGRESS' : 'FINISHED';
}

/**
 * The `status_code` and `status` pair a status read returns. Prose follows
 * what real clients saw (docs/graph-api.md#reading-the-status-text: Postiz PR #1992, trypost PR #351);
 * `bare` is [B]'s bare subcode; `empty-code` is trypost's ERROR arriving with
 * an empty `status_code`. The EXPIRED and PUBLISHED prose is ours (no source
 * quotes it).
 */
export function statusPair(container: ContainerRecord, now: number, form: StatusForm): { status_code: string; status: string } {
  const code = statusAt(container, now);
  switch (code) {
    case 'IN_PROGRESS':
      return { status_code: code, status: 'In progress: Media is still being processed.' };
    case 'FINISHED':
      return { status_code: code, status: 'Finished: Media has been uploaded' };
    case 'PUBLISHED':
      return { status_code: code, status: 'Published: Media has been published' };
    case 'EXPIRED':
      return { status_code: code, status: 'Expired: Media has expired and cannot be published' };
    case 'ERROR':
      return errorPair(container.outcome.type === 'error' ? container.outcome.subcode : undefined, form);
  }
}

function errorPair(subcode: number | undefined, form: StatusForm): { status_code: string; status: string } {
  switch (form) {
    case 'bare':
      return { status_code: 'ERROR', status: subcode === undefined ? '' : String(subcode) };
    case 'empty-code':
      return {
        status_code: '',
        status:
          subcode === undefined
            ? 'Error: Media download has failed.'
            : `Error: Media download has failed with error code ${subcode}`,
      };
    case 'prose':
      return {
        status_code: 'ERROR',
        status:
          subcode === undefined
            ? 'Error: Media upload has failed.'
            : `Error: Media upload has failed with error code ${subcode}`,
      };
  }
}
