/**
 * What the simulator records about resumable uploads (docs/graph-api.md#resumable-upload):
 * one {@link UploadRecord} per container created with `upload_type=resumable`,
 * and one {@link UploadRequestRecord} per request to the upload host. Plain
 * data for tests and the oracle; the simulator appends, tests only read.
 */

/** How an upload request ended, as the server saw it. */
export type UploadAttemptOutcome =
  /** Answered with `{"success":true}` (the upload was, or already had been, complete). */
  | 'success'
  /** Answered with the `debug_info` failure envelope. */
  | 'failure'
  /** The body was complete but shorter than `file_size − offset`: bytes kept, PartialRequestError answered. */
  | 'partial'
  /** The client's socket closed mid-body: the bytes read so far were kept, nothing could be answered. */
  | 'client-aborted'
  /** A fault reset the socket (after `resetAfterBytes`, or before reading): nothing answered. */
  | 'reset'
  /** A fault decided the answer (`http500`, `html502`, `lostResponse`, …). */
  | 'fault';

/** One request to `POST /ig-api-upload/{v}/{container-id}`. */
export interface UploadRequestRecord {
  readonly containerId: string;
  /** `bytes` (offset + file_size + body) or `file_url` (a hosted file, no body). */
  readonly mode: 'bytes' | 'file_url' | undefined;
  /** The `offset` header, when it parsed as a non-negative integer. */
  readonly offset: number | undefined;
  /** The `file_size` header, when it parsed as a positive integer. */
  readonly fileSize: number | undefined;
  /**
   * Bytes the container held when the request arrived: what the client had
   * to send as `offset`. Undefined when the request never reached a
   * resumable container (unknown ID, not an upload session).
   */
  readonly had: number | undefined;
  /** Body bytes that reached the server, kept or discarded. */
  bodyBytes: number;
  /** Body bytes appended to the container's content. */
  kept: number;
  outcome: UploadAttemptOutcome;
  /** `debug_info.type` of a failure answer. */
  failureType?: string | undefined;
}

/** A resumable container's upload, as it stands. */
export interface UploadRecord {
  /** The total size the first accepted bytes upload declared (`file_size`); later attempts must repeat it. */
  fileSize: number | undefined;
  /** Bytes the container has, in order from byte 0: what `bytes_transferred` reports. */
  received: number;
  /** Body bytes that reached the server over all attempts, kept or discarded (resend ratio = bytesSent / fileSize). */
  bytesSent: number;
  /** Upload requests that reached this container. */
  attempts: number;
  /** The `offset` header of each bytes request, in arrival order (refused ones included). */
  readonly offsets: number[];
  /** Hex sha256 of the assembled content, once complete (bytes uploads only). */
  sha256: string | undefined;
  /** The `file_url` a hosted-file upload named. */
  fileUrl: string | undefined;
  /** Sim time the upload is complete (for a `file_url`, possibly in the future: the simulated fetch). */
  completedAt: number | undefined;
  /** Seq of the request that completed it. */
  completedBy: number | undefined;
  /** Processing time once the upload is complete (drawn at create, like any video). */
  readonly processingMs: number;
  /** Set when a fatal failure (`retriable: false` fault) killed the session: the container reads ERROR. */
  failed: { readonly at: number; readonly type: string; readonly message: string } | undefined;
}

/** A fresh upload record for a container just created with `upload_type=resumable`. */
export function newUploadRecord(processingMs: number): UploadRecord {
  return {
    fileSize: undefined,
    received: 0,
    bytesSent: 0,
    attempts: 0,
    offsets: [],
    sha256: undefined,
    fileUrl: undefined,
    completedAt: undefined,
    completedBy: undefined,
    processingMs,
    failed: undefined,
  };
}

/** Whether the upload is complete at `now` (a `file_url` fetch may still be running). */
export function uploadCompleteAt(upload: UploadRecord, now: number): boolean {
  return upload.completedAt !== undefined && upload.completedAt <= now;
}

/**
 * What an uploaded video is, for fingerprints and the oracle's post matching:
 * `upload:sha256:<hex>` for bytes, the URL itself for a `file_url` upload.
 * Undefined until the upload is complete.
 */
export function uploadContentId(upload: UploadRecord): string | undefined {
  if (upload.fileUrl !== undefined) return upload.fileUrl;
  return upload.sha256 === undefined ? undefined : uploadedContentId(upload.sha256);
}

/** The content ID of bytes whose sha256 is `sha256Hex` (what a test puts in `ExpectedPost.mediaUrls`). */
export function uploadedContentId(sha256Hex: string): string {
  return `upload:sha256:${sha256Hex}`;
}
