import { z } from 'zod';
import type { Dispatcher } from 'undici';
import { CatalogueEntry } from './catalogue.js';
import { defaultTimeouts, type Timeouts } from './transport.js';
import type { Usage } from './usage.js';
import type { GraphStep } from './error-class.js';
import { Login } from '../spec/post-spec.js';
import type { AccessToken, TokenNotice, TokenRefreshOptions } from './token-keeper.js';


/** The Graph API version igflow speaks unless told otherwise. */
export const DEFAULT_API_VERSION = 'v25.0';

/** The default host per login. */
export const defaultBaseUrl: Readonly<Record<Login, string>> = {
  instagram: 'https://graph.instagram.com',
  facebook: 'https://graph.facebook.com',
};

/** The checked, serialisable part of the client's settings. */
export const GraphSettings = z.object({
  /** A token, or a function igflow calls whenever a request needs one (`() => Promise<string>`): an app rotates it there. */
  accessToken: z.custom<AccessToken>((v) => (typeof v === 'string' && v.length > 0) || typeof v === 'function', 'accessToken is required (IG_ACCESS_TOKEN): a string, or a function giving one'),
  igUserId: z.string().regex(/^[0-9A-Za-z_-]+$/, 'igUserId must be an Instagram user id (IG_USER_ID)'),
  login: Login.default('instagram'),
  baseUrl: z.url({ protocol: /^https?$/, error: 'baseUrl must be an http(s) URL' }).optional(),
  /** Where uploads go (default https://rupload.facebook.com; with only `baseUrl` given, there too: the simulator serves both). */
  uploadUrl: z.url({ protocol: /^https?$/, error: 'uploadUrl must be an http(s) URL' }).optional(),
  apiVersion: z.string().regex(/^v\d+\.\d+$/, 'apiVersion looks like v25.0').default(DEFAULT_API_VERSION),
  timeouts: z
    .object({ connectMs: z.number().int().positive(), headersMs: z.number().int().positive(), bodyMs: z.number().int().positive() })
    .partial()
    .optional(),
  maxBodyBytes: z.number().int().positive().default(4 * 1024 * 1024),
  catalogue: z.array(CatalogueEntry).default([]),
});
/** What the caller may pass for {@link GraphSettings}. */
export type GraphSettingsInput = z.input<typeof GraphSettings>;

/** What the client reports after every answer (rate-limit usage feeds the account limiter). */
export interface AnswerInfo {
  readonly step: GraphStep;
  readonly httpStatus: number;
  readonly usage: Usage | undefined;
  /** Set when the answer was a rate-limit error: how long the server asked to wait (0 when it gave no hint). */
  readonly throttledForMs?: number | undefined;
  /** The Graph error code of an error answer (4 and 341 are app-wide limits; 17, 32, 613, 80002 the account's). */
  readonly code?: number | undefined;
}

/** Everything {@link createGraphClient} takes. */
export interface GraphClientOptions extends GraphSettingsInput {
  /** A custom undici dispatcher (a MockAgent, a tracking wrapper…); the default is a keep-alive Pool. */
  readonly dispatcher?: Dispatcher;
  /** Time source for Retry-After dates; defaults to Date.now. */
  readonly now?: () => number;
  /** Called after every answer, error answers included. */
  readonly onAnswer?: (info: AnswerInfo) => void;
  /** Instagram Login only: refresh the long-lived token when it nears its expiry (docs/graph-api.md#token-lifetime). Off by default. */
  readonly tokenRefresh?: TokenRefreshOptions | undefined;
  /** Told what the token keeper learnt: the token expires soon, was refreshed, could not be refreshed (never the token). */
  readonly onTokenNotice?: ((notice: TokenNotice) => void) | undefined;
  /** Told every token the client sends, so its owner can keep them out of everything it shows (redaction). */
  readonly onSecret?: ((token: string) => void) | undefined;
}

/** Resolved timeouts: the caller's, over the defaults. */
export function resolveTimeouts(partial: Partial<Timeouts> | undefined): Timeouts {
  return { ...defaultTimeouts, ...partial };
}

/** Thrown by {@link createGraphClient} for bad settings; lists every problem, never the token. */
export class InvalidGraphOptions extends Error {
  override readonly name = 'InvalidGraphOptions';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid Graph client options:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
