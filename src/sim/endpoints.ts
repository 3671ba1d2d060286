/** The simulated Graph API endpoints, as fault rules and the record name them. */
export const ENDPOINTS = ['create', 'status', 'publish', 'limit', 'media', 'stories'] as const;

/** One simulated endpoint. `status` is any `GET /{id}` node read. */
export type Endpoint = (typeof ENDPOINTS)[number];

/** An endpoint, or `unknown` for a path the Graph API does not serve. */
export type RequestEndpoint = Endpoint | 'unknown';

/** Container kinds as the simulator records them. */
export type MediaKind = 'image' | 'video' | 'carousel';
