import type { Answer } from './answer.js';
import { errorEnvelope, type GraphErrorSpec } from './envelope.js';
import type { ResponseFault } from './fault-schema.js';
import { simErrors } from './sim-errors.js';
import { uploadErrors, uploadFailure, type UploadFailureSpec } from './upload-envelope.js';

/** How the answer leaves the simulator. */
export type Delivery = 'answer' | 'reset' | 'lost';

/** Exactly what goes on the wire (or that nothing does). */
export interface WireAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly delivery: Delivery;
}

const JSON_TYPE = 'application/json; charset=UTF-8';

const HTML_502 =
  '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Error</title></head>' +
  '<body><h1>502 Bad Gateway</h1><p>Sorry, something went wrong. We\'re working on getting this fixed as soon as we can.</p></body></html>\n';

// What an overloaded proxy in front of the API really prints, served as JSON to punish trusting content-type.
const GARBAGE = 'upstream connect error or disconnect/reset before headers. reset reason: connection termination';

/** Serializes a JSON answer with the Graph headers. */
export function wireOf(answer: Answer, baseHeaders: Record<string, string>): WireAnswer {
  return {
    status: answer.status,
    headers: { ...baseHeaders, ...answer.headers, 'content-type': JSON_TYPE },
    body: JSON.stringify(answer.json),
    delivery: 'answer',
  };
}

/** Whether a transport fault lets the request take effect (see `applyEffect` in the fault schema). */
export function faultAppliesEffect(fault: ResponseFault): boolean {
  switch (fault.type) {
    case 'http500':
    case 'html502':
    case 'reset':
      return fault.applyEffect ?? false;
    case 'empty':
    case 'truncated':
    case 'garbage':
      return fault.applyEffect ?? true;
    case 'slow':
    case 'lostResponse':
    case 'quotaFull':
      return true;
    case 'graphError':
    case 'uploadError':
      return fault.applyEffect ?? false;
    case 'resetAfterBytes':
      return true;
    case 'throttle':
      return false;
  }
}

/** The failure an injected `uploadError` fault answers with. */
export function uploadErrorSpecOf(fault: Extract<ResponseFault, { type: 'uploadError' }>): UploadFailureSpec {
  return {
    type: fault.errorType ?? 'ProcessingFailedError',
    retriable: fault.retriable ?? false,
    detail: fault.message ?? 'Request processing failed',
    httpStatus: fault.httpStatus,
  };
}

/** The error an injected `graphError` fault answers with. */
export function graphErrorSpecOf(fault: Extract<ResponseFault, { type: 'graphError' }>): GraphErrorSpec {
  return {
    code: fault.code,
    subcode: fault.subcode,
    message: fault.message ?? `(#${fault.code}) Simulated error`,
    isTransient: fault.isTransient,
    httpStatus: fault.httpStatus,
  };
}

/**
 * Turns the answer the request earned (`base`, when its effect ran) into what
 * a fault puts on the wire. `throttle` and `quotaFull` are decided before
 * the effect and pass the answer through here. On the upload host
 * (`upload: true`) an `http500` carries the `debug_info` envelope instead of
 * the Graph one.
 */
export function applyTransportFault(
  fault: ResponseFault,
  base: WireAnswer | undefined,
  baseHeaders: Record<string, string>,
  traceId: () => string,
  upload = false,
): WireAnswer {
  // Without the effect there is no earned answer: truncate a service-error envelope instead.
  const fallback = (): WireAnswer =>
    base ?? wireOf({ status: 500, json: errorEnvelope(simErrors.serviceError(), traceId()) }, baseHeaders);
  switch (fault.type) {
    case 'http500':
      if (upload) return wireOf(uploadFailure(uploadErrors.serverError()), baseHeaders);
      return wireOf({ status: 500, json: errorEnvelope(simErrors.serviceError(), traceId()) }, baseHeaders);
    case 'html502':
      return { status: 502, headers: { 'content-type': 'text/html; charset=utf-8' }, body: HTML_502, delivery: 'answer' };
    case 'empty':
      return { status: 200, headers: { ...baseHeaders, 'content-type': JSON_TYPE }, body: '', delivery: 'answer' };
    case 'truncated': {
      const body = fallback().body;
      return { status: 200, headers: { ...baseHeaders, 'content-type': JSON_TYPE }, body: body.slice(0, Math.floor(body.length / 2)), delivery: 'answer' };
    }
    case 'garbage':
      return { status: 200, headers: { ...baseHeaders, 'content-type': JSON_TYPE }, body: GARBAGE, delivery: 'answer' };
    case 'reset':
      return { status: 0, headers: {}, body: '', delivery: 'reset' };
    case 'lostResponse':
      return { status: 0, headers: {}, body: '', delivery: 'lost' };
    case 'graphError': {
      const spec = graphErrorSpecOf(fault);
      return wireOf({ status: spec.httpStatus ?? 400, json: errorEnvelope(spec, traceId()) }, baseHeaders);
    }
    case 'uploadError':
      return wireOf(uploadFailure(uploadErrorSpecOf(fault)), baseHeaders);
    case 'resetAfterBytes':
      return { status: 0, headers: {}, body: '', delivery: 'reset' };
    case 'slow':
    case 'quotaFull':
    case 'throttle':
      return fallback();
  }
}
