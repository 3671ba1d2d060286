import type { z } from 'zod';
import { createClassifier, subcodeFromStatus } from './classify.js';
import type { ErrorClass, GraphStep } from './error-class.js';
import { GraphError } from './graph-error.js';
import type { ContainerParams } from '../spec/graph-container-params.js';
import type { Login } from '../spec/post-spec.js';
import { GraphSettings, InvalidGraphOptions, defaultBaseUrl, resolveTimeouts, type GraphClientOptions } from './graph-options.js';
import { readAnswer } from './read-answer.js';
import { redactor } from './redact.js';
import { CommentListResponse, ContainerStatusResponse, IdResponse, MediaListResponse, MediaOwnerResponse, PublishingLimitResponse, RefreshTokenResponse, StatusCode } from './schemas.js';
import { TokenKeeper, type RefreshedToken } from './token-keeper.js';
import { createTransport, type TransportRequest } from './transport.js';
import { TransportError } from './transport-error.js';
import { readUploadAnswer } from './upload-answer.js';
import { UPLOAD_OFFSET_FIELDS, UploadOffsetResponse, uploadOffsetOf } from './upload-offset.js';
import type { Readable } from 'node:stream';


/** Per-call options. */
export interface CallOptions {
  /** Cancels the request (an effect that is stopped aborts its call). */
  readonly signal?: AbortSignal | undefined;
}

/** A container's state, read from `GET /{container-id}?fields=status_code,status,id`. */
export interface ContainerStatus {
  readonly id: string;
  /** `UNKNOWN` when Instagram sent a status_code igflow does not know. */
  readonly statusCode: StatusCode | 'UNKNOWN';
  /** The raw `status` text, when sent. */
  readonly status: string | undefined;
  /** For ERROR: the subcode found in `status` (if any) and what the catalogue says. */
  readonly error?: {
    readonly subcode: number | undefined;
    readonly errorClass: ErrorClass;
    readonly remedy: string;
    readonly meaning: string | undefined;
    readonly maxAttempts: number | undefined;
  };
}

/** The account's publishing quota (docs/graph-api.md#the-publishing-quota). */
export interface PublishingLimit {
  readonly quotaUsage: number;
  readonly quotaTotal: number;
  readonly quotaDurationMs: number;
  /** False when Instagram sent no `quota_total` and the conservative 50 is assumed. */
  readonly totalReported: boolean;
}

/** One published media item from the user's recent media or stories. */
export interface MediaItem {
  readonly id: string;
  readonly caption: string | undefined;
  readonly mediaType: string | undefined;
  /** FEED, REELS, STORY… */
  readonly productType: string | undefined;
  /** Epoch ms, when the answer had a parseable timestamp. */
  readonly timestamp: number | undefined;
  readonly permalink: string | undefined;
}

/** One comment on a media, as `GET /{ig-media-id}/comments` lists it. */
export interface MediaComment {
  readonly id: string;
  readonly text: string | undefined;
  readonly username: string | undefined;
  /** Epoch ms, when the answer had a parseable timestamp. */
  readonly timestamp: number | undefined;
}

/** What one upload request sends: the bytes of a local file from `offset` to its end, or the URL of a hosted file the upload host fetches. */
export type UploadBody =
  | { readonly kind: 'bytes'; readonly offset: number; readonly fileSize: number; readonly stream: Readable }
  | { readonly kind: 'url'; readonly url: string };

/** The default upload host (docs/graph-api.md#resumable-upload). */
export const DEFAULT_UPLOAD_URL = 'https://rupload.facebook.com';

/** The Graph API calls igflow makes: one method per endpoint. Every failure is a typed IgflowError. */
export interface GraphClient {
  readonly igUserId: string;
  readonly login: Login;
  /** `POST /{ig-user-id}/media`: creates a container; resolves to its id. */
  createContainer(params: ContainerParams, options?: CallOptions): Promise<string>;
  /** `GET /{container-id}?fields=status_code,status,id`. */
  containerStatus(containerId: string, options?: CallOptions): Promise<ContainerStatus>;
  /** `GET /{container-id}?fields=id,video_status`: how many bytes of a resumable upload Instagram has (docs/graph-api.md#resumable-upload). */
  uploadedBytes(containerId: string, options?: CallOptions): Promise<number>;
  /** `POST {upload host}/ig-api-upload/{v}/{container-id}` with `Authorization: OAuth`: sends the bytes from `offset` (or a `file_url`); resolves once the upload host has them all. */
  upload(containerId: string, body: UploadBody, options?: CallOptions): Promise<void>;
  /** `POST /{ig-user-id}/media_publish`: publishes a FINISHED container; resolves to the media id. */
  publish(creationId: string, options?: CallOptions): Promise<string>;
  /** `GET /{ig-user-id}/content_publishing_limit?fields=quota_usage,config`. */
  publishingLimit(options?: CallOptions & { readonly sinceMs?: number }): Promise<PublishingLimit>;
  /** `GET /{ig-user-id}/media`: recent feed media, newest first (for recovering a media id). */
  recentMedia(options?: CallOptions & { readonly sinceMs?: number; readonly limit?: number }): Promise<readonly MediaItem[]>;
  /** `GET /{ig-user-id}/stories`: current stories (the media edge excludes them). */
  recentStories(options?: CallOptions): Promise<readonly MediaItem[]>;
  /** `POST /{ig-media-id}/comments` with `message`: comments on a published media; resolves to the comment id (docs/graph-api.md#first-comment). Optional on a ready client: without it (and `comments`, `mediaOwner`), a firstComment is reported as failed, the post stays published. */
  comment?(mediaId: string, message: string, options?: CallOptions): Promise<string>;
  /** `GET /{ig-media-id}/comments?fields=id,text,username,timestamp`, every page (at most `maxPages`, default 20), oldest page last. */
  comments?(mediaId: string, options?: CallOptions & { readonly maxPages?: number }): Promise<readonly MediaComment[]>;
  /** `GET /{ig-media-id}?fields=username`: the handle of the account that owns the media (its own comments carry it). */
  mediaOwner?(mediaId: string, options?: CallOptions): Promise<string>;
  /** `GET /refresh_access_token?grant_type=ig_refresh_token` (Instagram Login), the token to refresh in the Authorization header (docs/graph-api.md#token-lifetime). */
  refreshToken?(token: string, options?: CallOptions): Promise<RefreshedToken>;
  /** Closes the connection pool. */
  close(): Promise<void>;
}

/** Instagram's conservative default when `quota_total` is missing (docs/graph-api.md#the-publishing-quota). */
const FALLBACK_QUOTA_TOTAL = 50;
const DAY_MS = 86_400_000;
const MEDIA_FIELDS = 'id,caption,media_type,media_product_type,timestamp,permalink';

function toMediaItem(raw: z.output<typeof MediaListResponse>['data'][number]): MediaItem {
  const ts = raw.timestamp === undefined ? Number.NaN : Date.parse(raw.timestamp);
  return {
    id: raw.id,
    caption: raw.caption,
    mediaType: raw.media_type,
    productType: raw.media_product_type,
    timestamp: Number.isNaN(ts) ? undefined : ts,
    permalink: raw.permalink,
  };
}

function normaliseStatusCode(raw: string | undefined, status: string | undefined): StatusCode | 'UNKNOWN' {
  const code = StatusCode.safeParse(raw?.trim().toUpperCase());
  if (code.success) return code.data;
  // Real clients saw "Error: Media download has failed…" with an empty status_code (docs/graph-api.md#reading-the-status-text).
  if (status !== undefined && (raw === undefined || raw.trim() === '')) {
    if (/^\s*error/i.test(status)) return 'ERROR';
    if (/^\s*in progress/i.test(status)) return 'IN_PROGRESS';
    if (/^\s*finished/i.test(status)) return 'FINISHED';
  }
  return 'UNKNOWN';
}

/**
 * Creates a Graph API client for one Instagram account: one keep-alive
 * connection pool, the token only in the `Authorization: Bearer` header,
 * every answer parsed with a zod schema into data or a typed error
 * (GraphError, TransportError), and every error message free of the token.
 */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  const parsed = GraphSettings.safeParse(options);
  if (!parsed.success) {
    throw new InvalidGraphOptions(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const settings = parsed.data;
  const secrets = new Set<string>();
  let redactSeen = redactor([]);
  const redact = (text: string) => redactSeen(text);
  const onSecret = (token: string) => {
    if (secrets.has(token)) return;
    secrets.add(token);
    redactSeen = redactor([...secrets]);
    options.onSecret?.(token);
  };
  const classifier = createClassifier(settings.catalogue);
  const now = options.now ?? Date.now;
  const keeper = new TokenKeeper({
    source: options.accessToken,
    now,
    onSecret,
    lifetime: options.tokenRefresh,
    // the refresh is a call of this client (declared below); the keeper makes it only once a request needs the token
    refresh: options.tokenRefresh === undefined || settings.login !== 'instagram' ? undefined : (token) => refreshCall(token),
    onNotice: options.onTokenNotice,
  });
  const accessToken = () => keeper.current();
  const transport = createTransport({
    baseUrl: settings.baseUrl ?? defaultBaseUrl[settings.login],
    accessToken,
    timeouts: resolveTimeouts(settings.timeouts),
    maxBodyBytes: settings.maxBodyBytes,
    dispatcher: options.dispatcher,
    redact,
  });
  // the upload host: the token goes as `OAuth`, never to a host taken from an answer (the upload URL is built here, not read from `uri`)
  const uploads = createTransport({
    baseUrl: settings.uploadUrl ?? settings.baseUrl ?? DEFAULT_UPLOAD_URL,
    accessToken,
    authScheme: 'OAuth',
    timeouts: resolveTimeouts(settings.timeouts),
    maxBodyBytes: settings.maxBodyBytes,
    dispatcher: options.dispatcher,
    redact,
  });
  const v = settings.apiVersion;
  const user = encodeURIComponent(settings.igUserId);

  async function call<S extends z.ZodType>(request: TransportRequest, schema: S): Promise<z.output<S>> {
    const answer = await transport.send(request);
    try {
      const { data, usage } = readAnswer(answer, schema, { step: request.step, classifier, redact, now });
      options.onAnswer?.({ step: request.step, httpStatus: answer.status, usage });
      return data;
    } catch (err) {
      if (err instanceof GraphError) {
        options.onAnswer?.({ step: request.step, httpStatus: answer.status, usage: err.usage, throttledForMs: err.throttled ? (err.retryAfterMs ?? 0) : undefined, code: err.code });
      }
      throw err;
    }
  }

  const get = (step: GraphStep, path: string, query: Record<string, string>, signal?: AbortSignal) =>
    ({ step, method: 'GET', path, query, signal }) as const;
  async function refreshCall(token: string): Promise<RefreshedToken> {
    let raw: z.output<typeof RefreshTokenResponse>;
    try {
      raw = await call({ ...get('token', '/refresh_access_token', { grant_type: 'ig_refresh_token' }), token }, RefreshTokenResponse);
    } catch (err) {
      // an answer igflow could not read may hold the new token: its text never goes into an error
      if (err instanceof GraphError) throw err;
      throw new TransportError({ failure: 'malformed-body', reached: 'yes', step: 'token', detail: 'the refresh answer could not be read (its text is not shown: it may hold a token)' });
    }
    return { token: raw.access_token, expiresInMs: raw.expires_in * 1000 };
  }
  const post = (step: GraphStep, path: string, body: unknown, signal?: AbortSignal) => ({ step, method: 'POST', path, body, signal }) as const;

  return {
    igUserId: settings.igUserId,
    login: settings.login,

    async createContainer(params, opts) {
      return (await call(post('create', `/${v}/${user}/media`, params, opts?.signal), IdResponse)).id;
    },

    async containerStatus(containerId, opts) {
      const raw = await call(get('status', `/${v}/${encodeURIComponent(containerId)}`, { fields: 'status_code,status,id' }, opts?.signal), ContainerStatusResponse);
      const statusCode = normaliseStatusCode(raw.status_code, raw.status);
      const base = { id: raw.id ?? containerId, statusCode, status: raw.status };
      if (statusCode !== 'ERROR') return base;
      const subcode = subcodeFromStatus(raw.status);
      const { errorClass, entry, remedy } = classifier.classify({ subcode, step: 'status', fromStatus: true });
      return { ...base, error: { subcode, errorClass, remedy, meaning: entry?.meaning, maxAttempts: entry?.maxAttempts } };
    },

    async uploadedBytes(containerId, opts) {
      return uploadOffsetOf(await call(get('status', `/${v}/${encodeURIComponent(containerId)}`, { fields: UPLOAD_OFFSET_FIELDS }, opts?.signal), UploadOffsetResponse));
    },

    async upload(containerId, body, opts) {
      const headers: Record<string, string> = body.kind === 'bytes' ? { offset: String(body.offset), file_size: String(body.fileSize) } : { file_url: body.url };
      const answer = await uploads.send({
        step: 'upload',
        method: 'POST',
        path: `/ig-api-upload/${v}/${encodeURIComponent(containerId)}`,
        headers,
        stream: body.kind === 'bytes' ? body.stream : undefined,
        signal: opts?.signal,
      });
      readUploadAnswer(answer, redact);
    },

    async publish(creationId, opts) {
      return (await call(post('publish', `/${v}/${user}/media_publish`, { creation_id: creationId }, opts?.signal), IdResponse)).id;
    },

    async publishingLimit(opts) {
      const query: Record<string, string> = { fields: 'quota_usage,config' };
      if (opts?.sinceMs !== undefined) query.since = String(Math.floor(opts.sinceMs / 1000));
      const raw = await call(get('limit', `/${v}/${user}/content_publishing_limit`, query, opts?.signal), PublishingLimitResponse);
      const first = raw.data[0]!;
      return {
        quotaUsage: first.quota_usage ?? 0,
        quotaTotal: first.config?.quota_total ?? FALLBACK_QUOTA_TOTAL,
        quotaDurationMs: (first.config?.quota_duration ?? DAY_MS / 1000) * 1000,
        totalReported: first.config?.quota_total !== undefined,
      };
    },

    async recentMedia(opts) {
      const query: Record<string, string> = { fields: MEDIA_FIELDS, limit: String(opts?.limit ?? 25) };
      if (opts?.sinceMs !== undefined) query.since = String(Math.floor(opts.sinceMs / 1000));
      const raw = await call(get('media', `/${v}/${user}/media`, query, opts?.signal), MediaListResponse);
      return raw.data.map(toMediaItem);
    },

    async recentStories(opts) {
      const raw = await call(get('stories', `/${v}/${user}/stories`, { fields: MEDIA_FIELDS }, opts?.signal), MediaListResponse);
      return raw.data.map(toMediaItem);
    },

    async comment(mediaId, message, opts) {
      return (await call(post('comment', `/${v}/${encodeURIComponent(mediaId)}/comments`, { message }, opts?.signal), IdResponse)).id;
    },

    async comments(mediaId, opts) {
      const out: MediaComment[] = [];
      let after: string | undefined;
      for (let page = 0; page < (opts?.maxPages ?? 20); page++) {
        const query: Record<string, string> = { fields: 'id,text,username,timestamp', limit: '50', ...(after === undefined ? {} : { after }) };
        const raw = await call(get('comments', `/${v}/${encodeURIComponent(mediaId)}/comments`, query, opts?.signal), CommentListResponse);
        for (const c of raw.data) {
          const ts = c.timestamp === undefined ? Number.NaN : Date.parse(c.timestamp.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
          out.push({ id: c.id, text: c.text, username: c.username, timestamp: Number.isNaN(ts) ? undefined : ts });
        }
        after = raw.paging?.cursors?.after;
        if (raw.paging?.next === undefined || after === undefined) break;
      }
      return out;
    },

    async mediaOwner(mediaId, opts) {
      return (await call(get('comments', `/${v}/${encodeURIComponent(mediaId)}`, { fields: 'username' }, opts?.signal), MediaOwnerResponse)).username;
    },

    refreshToken: (token) => refreshCall(token),

    close: async () => {
      await Promise.all([transport.close(), uploads.close()]);
    },
  };
}
