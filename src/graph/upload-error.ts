import type { ErrorClass } from './error-class.js';
import { IgflowError } from './igflow-error.js';

/**
 * The upload host refused an upload with its own failure envelope
 * (`{"debug_info":{"retriable":…,"type":…,"message":…}}`, not the Graph
 * API's; docs/graph-api.md#resumable-upload). `retriable` decides the class:
 * a retriable failure is sent again after a backoff, from the offset
 * Instagram reports; any other means the video itself must be fixed.
 */
export class UploadError extends IgflowError {
  readonly name = 'UploadError';
  readonly errorClass: ErrorClass;
  /** The failure's `type` (ProcessingFailedError, OffsetInvalidError…), when given. */
  readonly type: string | undefined;
  readonly httpStatus: number;

  constructor(fields: { readonly retriable: boolean; readonly type: string | undefined; readonly message: string; readonly httpStatus: number }) {
    super(`the upload host refused the upload${fields.type ? ` (${fields.type})` : ''}: ${fields.message}`, {
      step: 'upload',
      remedy: fields.retriable
        ? 'igflow sends the rest again from where Instagram stopped.'
        : 'Instagram could not take this video: check that it is an MP4 or MOV Instagram accepts (H.264 or HEVC video, AAC audio, within the size and length limits), then publish it again.',
    });
    this.errorClass = fields.retriable ? 'retry-later' : 'invalid-input';
    this.type = fields.type;
    this.httpStatus = fields.httpStatus;
  }
}
