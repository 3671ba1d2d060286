import type { ErrorClass, GraphStep } from './error-class.js';
import { IgflowError, type ErrorJson } from './igflow-error.js';
import type { Usage } from './usage.js';

/** The fields of a Graph API error envelope, already parsed and free of secrets. */
export interface GraphErrorFields {
  readonly code: number;
  /** A string error identifier such as INSTAGRAM_PLATFORM_API__INVALID_PARAM, when the envelope gave one. */
  readonly codeName?: string | undefined;
  readonly subcode?: number | undefined;
  readonly type?: string | undefined;
  readonly message: string;
  readonly userTitle?: string | undefined;
  readonly userMessage?: string | undefined;
  readonly fbtraceId?: string | undefined;
  readonly isTransient?: boolean | undefined;
  readonly httpStatus: number;
  readonly step: GraphStep;
  readonly errorClass: ErrorClass;
  readonly remedy: string;
  readonly retryAfterMs?: number | undefined;
  /** True when the answer was a rate-limit answer, whatever class the step gave it. */
  readonly throttled: boolean;
  /** For recreate-container: how many new containers the catalogue allows. */
  readonly maxAttempts?: number | undefined;
  readonly usage?: Usage | undefined;
}

/**
 * Instagram answered with an error envelope. `errorClass` comes from the
 * catalogue, judged for the step that failed: at media_publish anything
 * that does not prove "nothing was published" is `ambiguous`.
 */
export class GraphError extends IgflowError {
  readonly name = 'GraphError';
  readonly errorClass: ErrorClass;
  readonly code: number;
  readonly codeName: string | undefined;
  readonly subcode: number | undefined;
  readonly type: string | undefined;
  readonly userTitle: string | undefined;
  readonly userMessage: string | undefined;
  readonly fbtraceId: string | undefined;
  readonly isTransient: boolean | undefined;
  readonly httpStatus: number;
  readonly throttled: boolean;
  readonly maxAttempts: number | undefined;
  readonly usage: Usage | undefined;

  constructor(fields: GraphErrorFields) {
    const sub = fields.subcode === undefined ? '' : `/${fields.subcode}`;
    super(`Graph API ${fields.step} failed (${fields.code}${sub}): ${fields.message}`, fields);
    this.errorClass = fields.errorClass;
    this.code = fields.code;
    this.codeName = fields.codeName;
    this.subcode = fields.subcode;
    this.type = fields.type;
    this.userTitle = fields.userTitle;
    this.userMessage = fields.userMessage;
    this.fbtraceId = fields.fbtraceId;
    this.isTransient = fields.isTransient;
    this.httpStatus = fields.httpStatus;
    this.throttled = fields.throttled;
    this.maxAttempts = fields.maxAttempts;
    this.usage = fields.usage;
  }

  override toJSON(): ErrorJson {
    return { ...super.toJSON(), code: this.code, subcode: this.subcode, fbtraceId: this.fbtraceId, maxAttempts: this.maxAttempts };
  }
}
