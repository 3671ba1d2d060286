import type { RequestEndpoint } from './endpoints.js';

/** A request's place in the simulated Graph API or on the upload host. */
export interface Route {
  readonly endpoint: RequestEndpoint;
  /** The node the path starts at: an IG user ID for edges, a container or media ID for `status` and `upload`. */
  readonly id: string | undefined;
  /** The version segment (`v25.0`), or undefined for an unversioned call. */
  readonly version: string | undefined;
}

/** The version a response names when the call had none (docs/graph-api.md#request-shape: latest is v25.0). */
export const DEFAULT_VERSION = 'v25.0';

const VERSION = /^v\d+\.\d+$/;
const NODE_ID = /^\d+$/;

/** The upload host's first path segment (docs/graph-api.md#resumable-upload: `rupload.facebook.com/ig-api-upload/{v}/{id}`). */
export const UPLOAD_PREFIX = 'ig-api-upload';

const EDGES: Record<string, Partial<Record<string, RequestEndpoint>>> = {
  media: { POST: 'create', GET: 'media' },
  media_publish: { POST: 'publish' },
  content_publishing_limit: { GET: 'limit' },
  stories: { GET: 'stories' },
  comments: { POST: 'comment', GET: 'comments' },
};

/** Root paths that are not nodes: `GET /refresh_access_token` (Instagram Login, docs/graph-api.md#token-lifetime). */
const ROOT_PATHS: Record<string, Partial<Record<string, RequestEndpoint>>> = {
  refresh_access_token: { GET: 'refresh' },
};

/**
 * Maps method + path to an endpoint. Accepts `/{vNN.0}/…` and unversioned
 * paths alike (docs/graph-api.md#request-shape: [IC] and [B] poll without a version; which
 * version that gets is unverified, so the simulator treats both the same).
 * `POST /ig-api-upload/{v}/{container-id}` (and the unversioned form [RU]'s
 * endpoint list shows) is the upload host, served on the same port.
 */
export function parseRoute(method: string, pathname: string): Route {
  const segments = pathname.split('/').filter((segment) => segment !== '');
  if (segments[0] === UPLOAD_PREFIX) return uploadRoute(method, segments.slice(1));
  let version: string | undefined;
  if (segments[0] !== undefined && VERSION.test(segments[0])) version = segments.shift();
  const [id, edge, ...rest] = segments;
  const root = id === undefined || edge !== undefined ? undefined : ROOT_PATHS[id]?.[method];
  if (root !== undefined) return { endpoint: root, id: undefined, version };
  if (id === undefined || !NODE_ID.test(id) || rest.length > 0) return { endpoint: 'unknown', id, version };
  if (edge === undefined) return { endpoint: method === 'GET' ? 'status' : 'unknown', id, version };
  return { endpoint: EDGES[edge]?.[method] ?? 'unknown', id, version };
}

function uploadRoute(method: string, segments: string[]): Route {
  let version: string | undefined;
  if (segments[0] !== undefined && VERSION.test(segments[0])) version = segments.shift();
  const [id, ...rest] = segments;
  const valid = method === 'POST' && id !== undefined && NODE_ID.test(id) && rest.length === 0;
  return { endpoint: valid ? 'upload' : 'unknown', id, version };
}
