import type { Answer } from './answer.js';

/** One failure of the upload host, before it is written. */
export interface UploadFailureSpec {
  /** `debug_info.type`. */
  readonly type: string;
  readonly retriable: boolean;
  /** The inner error message. */
  readonly detail: string;
  /** HTTP status (undocumented by Meta; 400 by default, as clients report). */
  readonly httpStatus?: number | undefined;
}

/** `{"success":true,"message":"Upload successful."}` ([RU]). */
export function uploadSuccess(): Answer {
  return { status: 200, json: { success: true, message: 'Upload successful.' } };
}

/**
 * The upload host's failure envelope ([RU]): `debug_info.{retriable, type,
 * message}`, not the Graph `{"error":…}` envelope, with the message a JSON
 * text as in Meta's sample.
 */
export function uploadFailure(spec: UploadFailureSpec): Answer {
  const message = JSON.stringify({ success: false, error: { message: spec.detail } });
  return { status: spec.httpStatus ?? 400, json: { debug_info: { retriable: spec.retriable, type: spec.type, message } } };
}

const PROCESSING_FAILED = 'ProcessingFailedError';

/**
 * Every failure the upload host answers with, as data. `ProcessingFailedError`
 * with "unauthorized user request" is [RU]'s sample; `OffsetInvalidError`
 * and `PartialRequestError` are inferred from Meta's Facebook Reels docs,
 * which use the same rupload service (docs/graph-api.md#resumable-upload).
 * The rest reuse `ProcessingFailedError` with a detail of the simulator's own.
 */
export const uploadErrors = {
  /** Missing `Authorization`, or a scheme other than `OAuth` (Bearer included): HTTP 401. A token Instagram does not know, or another account's: HTTP 400. */
  unauthorized: (httpStatus: 400 | 401): UploadFailureSpec => ({ type: PROCESSING_FAILED, retriable: false, detail: 'unauthorized user request', httpStatus }),
  /** The container does not exist, or was not created with `upload_type=resumable`. */
  noSession: (id: string): UploadFailureSpec => ({ type: PROCESSING_FAILED, retriable: false, detail: `no resumable upload session for media container ${id}` }),
  /** The container expired (24 h) before the upload completed. */
  expired: (id: string): UploadFailureSpec => ({ type: PROCESSING_FAILED, retriable: false, detail: `the upload session of media container ${id} has expired` }),
  /** A `retriable: false` failure killed the session before: the same failure again. */
  sessionFailed: (type: string, detail: string): UploadFailureSpec => ({ type, retriable: false, detail }),
  /** Neither `offset` + `file_size` nor `file_url`, or a header that is not a valid number. */
  badHeader: (detail: string): UploadFailureSpec => ({ type: PROCESSING_FAILED, retriable: false, detail }),
  /** `file_size` differs from the size the session's first upload declared. */
  fileSizeChanged: (sent: number, session: number): UploadFailureSpec => ({
    type: PROCESSING_FAILED,
    retriable: false,
    detail: `file_size ${sent} does not match this upload session's file_size ${session}`,
  }),
  /** `offset` is not the number of bytes the server has. The answer does not say that number: read `video_status`. */
  offsetInvalid: (): UploadFailureSpec => ({ type: 'OffsetInvalidError', retriable: true, detail: 'Request starting offset is invalid' }),
  /** Another upload to the same session is still streaming. */
  concurrent: (): UploadFailureSpec => ({ type: 'OffsetInvalidError', retriable: true, detail: 'another upload to this session is in progress' }),
  /** The body ended before `file_size − offset` bytes (they are kept), or ran past the end (the excess is dropped). */
  partial: (): UploadFailureSpec => ({ type: 'PartialRequestError', retriable: true, detail: 'Partial request (did not match length of file)' }),
  /** `file_url` that is not a US-ASCII http(s) URL. */
  badFileUrl: (): UploadFailureSpec => ({ type: PROCESSING_FAILED, retriable: false, detail: 'file_url must be a public http(s) URL' }),
  /** `file_url` on a session that already holds some bytes. */
  fileUrlAfterBytes: (received: number): UploadFailureSpec => ({
    type: PROCESSING_FAILED,
    retriable: false,
    detail: `this upload session already holds ${received} bytes; finish it with offset and file_size`,
  }),
  /** What an injected `http500` carries: [FBR]'s "Request processing failed", retriable. */
  serverError: (): UploadFailureSpec => ({ type: PROCESSING_FAILED, retriable: true, detail: 'Request processing failed', httpStatus: 500 }),
};
