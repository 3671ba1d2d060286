import type { GraphErrorSpec } from './envelope.js';

/**
 * Every error the simulator answers with, as data. Codes and subcodes follow
 * docs/graph-api.md#the-catalogue ([EC]) and
 * docs/graph-api.md#pitfalls-seen-in-real-clients; messages imitate Meta's
 * wording. Where docs/graph-api.md gives no code, the entry uses code 100 and
 * says so.
 */
export const simErrors = {
  /** docs/graph-api.md#request-shape: the token goes in `Authorization: Bearer`. Real Graph says 104 for a missing token; the simulator says 190, so a missing token reads as the auth failure a client must handle. */
  missingToken: (): GraphErrorSpec => ({
    code: 190,
    message: 'An active access token must be used to query information about the current user.',
  }),
  /** docs/graph-api.md#the-catalogue, generic codes: 190 = token invalid. */
  invalidToken: (): GraphErrorSpec => ({
    code: 190,
    message: 'Invalid OAuth access token - Cannot parse access token',
  }),
  /** An expired token ([EH]: 190 with subcode 463, docs/graph-api.md#token-lifetime). */
  tokenExpired: (): GraphErrorSpec => ({
    code: 190,
    subcode: 463,
    message: 'Error validating access token: Session has expired',
  }),
  /** Unknown path (real Graph says 2500 "Unknown path components"; the simulator says 100, an invalid-parameter code every client handles). */
  unknownPath: (path: string): GraphErrorSpec => ({
    code: 100,
    message: `Unknown path components: ${path}`,
  }),
  /** Code 100 / subcode 33 (docs/graph-api.md#subcodes-seen-only-in-real-clients, postiz #1562): missing object or no permission on it. */
  noSuchObject: (method: string, id: string): GraphErrorSpec => ({
    code: 100,
    subcode: 33,
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
  }),
  missingParam: (name: string): GraphErrorSpec => ({
    code: 100,
    message: `(#100) The parameter ${name} is required`,
  }),
  /** A parameter docs/graph-api.md forbids without naming a code: code 100 by choice. */
  invalidParam: (detail: string): GraphErrorSpec => ({
    code: 100,
    message: `(#100) Invalid parameter: ${detail}`,
    userTitle: 'Invalid parameter',
    userMsg: detail,
  }),
  nonexistingField: (field: string, nodeType: string): GraphErrorSpec => ({
    code: 100,
    message: `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`,
  }),
  /** [EC] 2207023 (code 100): unknown media_type. */
  unknownMediaType: (mediaType: string): GraphErrorSpec => ({
    code: 100,
    subcode: 2207023,
    message: 'Invalid parameter',
    userTitle: 'Unknown media type',
    userMsg: `The media type ${mediaType} is not supported.`,
  }),
  /** [EC] 2207028 (code 100): carousel needs 2..10 items. */
  carouselSize: (count: number): GraphErrorSpec => ({
    code: 100,
    subcode: 2207028,
    message: 'Invalid parameter',
    userTitle: 'Carousel validation failed',
    userMsg: `A carousel needs between 2 and 10 items; got ${count}.`,
  }),
  /** [EC] 2207010 (code 36004): caption over 2200 characters or 30 hashtags. */
  captionTooLong: (detail: string): GraphErrorSpec => ({
    code: 36004,
    subcode: 2207010,
    message: 'Invalid parameter',
    userTitle: 'The caption is too long',
    userMsg: `The caption has more than 2,200 characters or 30 hashtags (${detail}).`,
  }),
  /** [EC] 2207040 (code 100): more than 20 @ tags. */
  tooManyMentions: (count: number): GraphErrorSpec => ({
    code: 100,
    subcode: 2207040,
    message: 'Invalid parameter',
    userTitle: 'Too many tags',
    userMsg: `Cannot use more than the maximum number (20) of @ tags; got ${count}.`,
  }),
  /** [EC] 2207052 (code 9004): media URI could not be fetched (empty, non-ASCII or non-http URL; docs/graph-api.md#request-shape, docs/graph-api.md#pitfalls-seen-in-real-clients). */
  mediaFetch: (param: string): GraphErrorSpec => ({
    code: 9004,
    subcode: 2207052,
    message: 'Only photo or video can be accepted as media type.',
    userTitle: 'Media download has failed',
    userMsg: `The media could not be fetched from the URI in ${param}. Make sure it is a public, US-ASCII https URL.`,
  }),
  /** [EC] 2207027 (code 9007): not ready for publishing. */
  notReady: (detail: string): GraphErrorSpec => ({
    code: 9007,
    subcode: 2207027,
    message: 'Media ID is not available',
    userTitle: 'Media not ready for publishing',
    userMsg: `The media is not ready for publishing, please wait for a moment (${detail}).`,
  }),
  /** [EC] 2207008 (code 24): container does not exist or has expired. */
  containerGone: (id: string): GraphErrorSpec => ({
    code: 24,
    subcode: 2207008,
    message: 'The requested resource does not exist',
    userTitle: 'Media builder expired',
    userMsg: `The media builder with ID ${id} does not exist or has expired. Please try again with a new container.`,
  }),
  /** [EC] 2207042 (code 9): daily publishing limit reached. */
  quotaReached: (total: number): GraphErrorSpec => ({
    code: 9,
    subcode: 2207042,
    message: 'Application request limit reached',
    userTitle: 'Maximum number of posts reached',
    userMsg: `You reached the maximum number of posts (${total}) allowed to be published with the Content Publishing API in 24 hours.`,
  }),
  /** docs/graph-api.md#pitfalls-seen-in-real-clients (MookieLian/n8n-nodes-instagram #9): a standalone VIDEO container fails at publish, 100 / 2207089. */
  videoNotSupported: (): GraphErrorSpec => ({
    code: 100,
    subcode: 2207089,
    message: 'Unsupported media type VIDEO',
    userTitle: 'Unsupported media type',
    userMsg: 'Publishing a VIDEO container as a standalone post is not supported. Use media_type=REELS.',
  }),
  /** docs/graph-api.md#lifetime-and-the-container-cap: 400 containers per rolling 24 h. No code in docs/graph-api.md: code 100 by choice. */
  containerCap: (cap: number): GraphErrorSpec => ({
    code: 100,
    message: `(#100) The account has created the maximum number of media containers (${cap}) in the last 24 hours.`,
    userTitle: 'Container limit reached',
    userMsg: `An account can create at most ${cap} containers in a rolling 24-hour window.`,
  }),
  /** Generic code 2, service error ([EH]); what an injected `http500` carries. */
  serviceError: (): GraphErrorSpec => ({
    code: 2,
    message: 'An unexpected error has occurred. Please retry your request later.',
    isTransient: true,
    httpStatus: 500,
  }),
  /** Code 1, unknown error: what a failing simulator hook is reported as. */
  unknownError: (detail: string): GraphErrorSpec => ({
    code: 1,
    message: `An unknown error occurred (${detail})`,
    isTransient: true,
    httpStatus: 500,
  }),
  /** Throttle answers, docs/graph-api.md#throttle-codes ([RL]). Always HTTP 400 (docs/graph-api.md#the-envelope). */
  throttled: (code: number): GraphErrorSpec => ({
    code,
    message: THROTTLE_MESSAGES[code] ?? `(#${code}) Request limit reached`,
    isTransient: true,
  }),
};

const THROTTLE_MESSAGES: Record<number, string> = {
  4: '(#4) Application request limit reached',
  17: '(#17) User request limit reached',
  32: '(#32) Page request limit reached',
  613: '(#613) Calls to this api have exceeded the rate limit.',
  80002:
    'There have been too many calls to this Instagram account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.',
};
