import { z } from 'zod';
import { TransportError } from './transport-error.js';
import type { TransportAnswer } from './transport.js';
import { UploadError } from './upload-error.js';

/** The upload host's answer to a complete upload: `{"success":true,"message":"Upload successful."}`. */
const UploadSuccess = z.object({ success: z.literal(true) });

/** Its failure envelope (docs/graph-api.md#resumable-upload). */
const UploadFailure = z.object({
  debug_info: z.object({
    retriable: z.boolean().optional().catch(undefined),
    type: z.string().optional().catch(undefined),
    message: z.string().optional().catch(undefined),
  }),
});

/**
 * Reads the upload host's answer: success, its failure envelope as an
 * {@link UploadError}, or anything else (an HTML error page, a body that
 * is not JSON) as a retryable TransportError: the bytes may or may not be
 * in, and the next attempt asks Instagram how many are.
 */
export function readUploadAnswer(answer: TransportAnswer, redact: (text: string) => string): void {
  let json: unknown;
  try {
    json = JSON.parse(answer.text) as unknown;
  } catch {
    json = undefined;
  }
  const failure = UploadFailure.safeParse(json);
  if (failure.success) {
    const info = failure.data.debug_info;
    throw new UploadError({ retriable: info.retriable ?? answer.status >= 500, type: info.type, message: redact(info.message ?? '(no message)'), httpStatus: answer.status });
  }
  if (answer.status >= 200 && answer.status < 300 && UploadSuccess.safeParse(json).success) return;
  throw new TransportError({
    failure: answer.status >= 200 && answer.status < 300 ? 'malformed-body' : 'http-status',
    reached: 'yes',
    step: 'upload',
    httpStatus: answer.status,
    detail: `the upload host answered HTTP ${answer.status} without its usual envelope`,
  });
}
