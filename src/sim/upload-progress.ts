import { UPLOAD_FAILED_SUBCODE } from './container-status.js';
import type { ContainerRecord } from './record.js';
import { uploadCompleteAt, type UploadRecord } from './upload-record.js';

/**
 * How a client learns how many bytes of a resumable upload the server has:
 * the one place the simulator decides it, so it is easy to change
 * (docs/graph-api.md#resumable-upload).
 *
 * - Documented ([RU] step 5): read the container on the Graph host,
 *   `GET /{v}/{container-id}?fields=id,status,status_code,video_status`;
 *   `video_status.uploading_phase.bytes_transferred` is the offset the next
 *   upload sends ("from here you can resume your upload in step 2 with
 *   offset=50002").
 * - Inferred: that the resumed request's body holds only the bytes from
 *   that offset to the end, with `file_size` still the whole file's size.
 * - Not offered: a `GET` on the upload URL (undocumented for
 *   `ig-api-upload`; the simulator answers it as an unknown path), and the
 *   offset in a failure answer (an `OffsetInvalidError` does not say it).
 */
export const RECEIVED_OFFSET_FIELD = 'video_status';

/** `uploading_phase.status` / `processing_phase.status` values ([RU] shows `complete`, `in_progress`, `not_started`; Meta's sample also reads `error`). */
export type PhaseStatus = 'not_started' | 'in_progress' | 'complete' | 'error';

/** The `video_status` field of a resumable container, as [RU] shows it. */
export interface VideoStatus {
  readonly uploading_phase: {
    readonly status: PhaseStatus;
    readonly bytes_transferred: number;
    readonly errors?: readonly { readonly code: number; readonly message: string }[];
  };
  readonly processing_phase: { readonly status: PhaseStatus };
}

/** The offset a client reading the container now would resume from: the bytes received, in order from 0. */
export function receivedOffset(upload: UploadRecord): number {
  return upload.received;
}

function uploadingStatus(upload: UploadRecord, now: number): PhaseStatus {
  if (upload.failed !== undefined) return 'error';
  if (uploadCompleteAt(upload, now)) return 'complete';
  return upload.attempts === 0 && upload.received === 0 ? 'not_started' : 'in_progress';
}

function processingStatus(container: ContainerRecord, upload: UploadRecord, now: number): PhaseStatus {
  if (upload.failed !== undefined || !uploadCompleteAt(upload, now)) return 'not_started';
  if (container.publishedAt !== undefined) return 'complete';
  if (now < container.readyAt) return 'in_progress';
  return container.outcome.type === 'error' ? 'error' : 'complete';
}

/**
 * `video_status` of a container at `now`, or undefined for a container not
 * created with `upload_type=resumable` (the field is left out, as Graph
 * leaves out empty fields; what Meta shows for a `video_url` container is
 * unverified). A `file_url` upload reports 0 bytes: nothing is fetched, so
 * the simulator knows no size.
 */
export function videoStatusOf(container: ContainerRecord, now: number): VideoStatus | undefined {
  const upload = container.upload;
  if (upload === undefined) return undefined;
  const status = uploadingStatus(upload, now);
  const errors = upload.failed === undefined ? undefined : [{ code: UPLOAD_FAILED_SUBCODE, message: upload.failed.message }];
  return {
    uploading_phase: { status, bytes_transferred: receivedOffset(upload), ...(errors === undefined ? {} : { errors }) },
    processing_phase: { status: processingStatus(container, upload, now) },
  };
}
