/** What the simulator needs to write one Graph error. */
export interface GraphErrorSpec {
  readonly code: number;
  readonly subcode?: number | undefined;
  readonly message: string;
  readonly isTransient?: boolean | undefined;
  readonly userTitle?: string | undefined;
  readonly userMsg?: string | undefined;
  /** HTTP status; the Graph API uses 400 for every documented error (docs/graph-api.md#the-envelope). */
  readonly httpStatus?: number | undefined;
}

/** The JSON body of a Graph error (docs/graph-api.md#the-envelope). */
export interface GraphErrorEnvelope {
  error: {
    message: string;
    type: 'OAuthException';
    code: number;
    error_subcode?: number;
    is_transient: boolean;
    error_user_title?: string;
    error_user_msg?: string;
    fbtrace_id: string;
  };
}

/** Codes Meta calls temporary ([EH], [RL]): service errors and throttles. */
const TRANSIENT_CODES = new Set([1, 2, 4, 17, 32, 341, 613, 80002, -1, -2]);

/** Builds the envelope, field order as Meta writes it. */
export function errorEnvelope(spec: GraphErrorSpec, fbtraceId: string): GraphErrorEnvelope {
  return {
    error: {
      message: spec.message,
      type: 'OAuthException',
      code: spec.code,
      ...(spec.subcode !== undefined ? { error_subcode: spec.subcode } : {}),
      is_transient: spec.isTransient ?? TRANSIENT_CODES.has(spec.code),
      ...(spec.userTitle !== undefined ? { error_user_title: spec.userTitle } : {}),
      ...(spec.userMsg !== undefined ? { error_user_msg: spec.userMsg } : {}),
      fbtrace_id: fbtraceId,
    },
  };
}
