/**
 * The simulated endpoints, as fault rules and the record name them: the
 * Graph API's, and `upload` for the upload host (`POST /ig-api-upload/{v}/{container-id}`).
 */
export const ENDPOINTS = ['create', 'status', 'publish', 'limit', 'media', 'stories', 'upload'] as const;

/** One simulated endpoint. `status` is any `GET /{id}` node read. */
export type Endpoint = (typeof ENDPOINTS)[number];

/** An endpoint, or `unknown` for a path the Graph API does not serve. */
export type RequestEndpoint = Endpoint | 'unknown';

/** Container kinds as the simulator records them. */
export type MediaKind = 'image' | 'video' | 'carousel';

/** The endpoints the Graph pipeline answers (everything but the upload host). */
export type GraphEndpoint = Exclude<Endpoint, 'upload'>;
