/**
 * The simulated endpoints, as fault rules and the record name them: the
 * Graph API's, and `upload` for the upload host (`POST /ig-api-upload/{v}/{container-id}`).
 * `comment` is `POST /{ig-media-id}/comments`, `comments` its `GET`;
 * `refresh` is `GET /refresh_access_token` (docs/graph-api.md#token-lifetime).
 */
export const ENDPOINTS = ['create', 'status', 'publish', 'limit', 'media', 'stories', 'upload', 'comment', 'comments', 'refresh'] as const;

/** One simulated endpoint. `status` is any `GET /{id}` node read. */
export type Endpoint = (typeof ENDPOINTS)[number];

/** An endpoint, or `unknown` for a path the Graph API does not serve. */
export type RequestEndpoint = Endpoint | 'unknown';

/** Container kinds as the simulator records them. */
export type MediaKind = 'image' | 'video' | 'carousel';

/** The endpoints the Graph pipeline answers (everything but the upload host). */
export type GraphEndpoint = Exclude<Endpoint, 'upload'>;
