import type { ErrorClass, GraphStep } from './error-class.js';
import { IgflowError, type ErrorJson } from './igflow-error.js';

/** What went wrong below the Graph API's own answers. */
export type TransportFailure =
  | 'connect' // no connection was made
  | 'token' // the accessToken function failed or gave no token: nothing was sent
  | 'timeout' // a connect, headers or body timeout
  | 'reset' // the connection dropped mid-exchange
  | 'aborted' // the caller cancelled
  | 'http-status' // a non-2xx answer without a Graph error envelope (an HTML 502 page, say)
  | 'malformed-body'; // a 2xx answer whose body is empty, truncated, not JSON or not the expected shape

/**
 * Whether the request may have reached Instagram: `no` (nothing was sent or
 * it was refused before processing), `maybe`, or `yes` (an answer came back).
 */
export type Reached = 'no' | 'maybe' | 'yes';

/** The fields of a {@link TransportError}. */
export interface TransportErrorFields {
  readonly failure: TransportFailure;
  readonly reached: Reached;
  readonly step: GraphStep;
  readonly detail: string;
  readonly httpStatus?: number | undefined;
  /** The low-level error code (e.g. UND_ERR_HEADERS_TIMEOUT, ECONNRESET), when there was one. */
  readonly causeCode?: string | undefined;
}

/**
 * The exchange with Instagram failed without a Graph error envelope: a
 * network failure, a timeout, or an answer that is not the JSON it should
 * be. Its class says what that means for the step: a media_publish that may
 * have reached Instagram is `ambiguous` (verify, never "failed" and never a
 * blind retry); anything else is `retry-later`.
 */
export class TransportError extends IgflowError {
  readonly name = 'TransportError';
  readonly errorClass: ErrorClass;
  readonly failure: TransportFailure;
  readonly reached: Reached;
  readonly httpStatus: number | undefined;
  readonly causeCode: string | undefined;

  constructor(fields: TransportErrorFields) {
    const status = fields.httpStatus === undefined ? '' : ` (HTTP ${fields.httpStatus})`;
    super(`Graph API ${fields.step}: ${fields.failure}${status}: ${fields.detail}`, {
      step: fields.step,
      remedy:
        fields.step === 'publish' && fields.reached !== 'no'
          ? 'The publish may have gone through: igflow checks the container status before anything else.'
          : 'A network or server hiccup: igflow retries with backoff.',
    });
    this.failure = fields.failure;
    this.reached = fields.reached;
    this.httpStatus = fields.httpStatus;
    this.causeCode = fields.causeCode;
    this.errorClass = fields.step === 'publish' && fields.reached !== 'no' ? 'ambiguous' : 'retry-later';
  }

  override toJSON(): ErrorJson {
    return { ...super.toJSON(), code: this.httpStatus };
  }
}
