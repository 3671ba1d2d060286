import type { ContainerRecord } from './record.js';
import { uploadCompleteAt } from './upload-record.js';

/** The subcode a container reads with after its upload session died ([EC] 2207053 "unknown upload error": "This should only affect video uploads"). */
export const UPLOAD_FAILED_SUBCODE = 2207053;

/** The `status_code` values of an IG Container (docs/graph-api.md#status-codes). */
export type StatusCode = 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'EXPIRED' | 'PUBLISHED';

/** How an ERROR status is spelled (docs/graph-api.md#reading-the-status-text). */
export type StatusForm = 'prose' | 'bare' | 'empty-code';

/**
 * A container's status at `now`, computed from its timestamps (no timers):
 * published wins; an ERROR outcome shows once processing time has passed and
 * then stays (an ERROR never recovers, docs/graph-api.md#status-codes); otherwise EXPIRED
 * after `expiresAt`, IN_PROGRESS before `readyAt`, FINISHED in between. A
 * resumable container's `readyAt` is `Infinity` until its upload completes,
 * so it stays IN_PROGRESS (then EXPIRED); a dead upload session reads ERROR.
 */
export function statusAt(container: ContainerRecord, now: number): StatusCode {
  if (container.publishedAt !== undefined) return 'PUBLISHED';
  const failed = container.upload?.failed;
  if (failed !== undefined && now >= failed.at) return 'ERROR';
  if (container.outcome.type === 'error' && now >= container.readyAt) return 'ERROR';
  if (now >= container.expiresAt) return 'EXPIRED';
  return now < container.readyAt ? 'IN_PROGRESS' : 'FINISHED';
}

/**
 * The `status_code` and `status` pair a status read returns. Prose follows
 * what real clients saw (docs/graph-api.md#reading-the-status-text: Postiz PR #1992, trypost PR #351);
 * `bare` is [B]'s bare subcode; `empty-code` is trypost's ERROR arriving with
 * an empty `status_code`. The EXPIRED, PUBLISHED and unfinished-upload prose
 * is ours (no source quotes it).
 */
export function statusPair(container: ContainerRecord, now: number, form: StatusForm): { status_code: string; status: string } {
  const code = statusAt(container, now);
  switch (code) {
    case 'IN_PROGRESS':
      if (container.upload !== undefined && !uploadCompleteAt(container.upload, now)) {
        // Invented prose (no source quotes Meta's text for an unfinished upload), in the shape of the processing one.
        return { status_code: code, status: 'In progress: Media upload is not complete.' };
      }
      return { status_code: code, status: 'In progress: Media is still being processed.' };
    case 'FINISHED':
      return { status_code: code, status: 'Finished: Media has been uploaded' };
    case 'PUBLISHED':
      return { status_code: code, status: 'Published: Media has been published' };
    case 'EXPIRED':
      return { status_code: code, status: 'Expired: Media has expired and cannot be published' };
    case 'ERROR':
      if (container.upload?.failed !== undefined) return errorPair(UPLOAD_FAILED_SUBCODE, form);
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
