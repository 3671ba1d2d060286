/** An access token, or a function igflow calls whenever a request needs one (so an app can rotate it); its result is never stored. */
export type AccessToken = string | (() => string | Promise<string>);

/** What a refresh answered: the new token and its lifetime, as the Graph API reported it. */
export interface RefreshedToken {
  readonly token: string;
  /** `expires_in` of the answer, in ms. */
  readonly expiresInMs: number;
}

/** Opt-in refresh of a long-lived Instagram Login token, and the expiry warning (docs/graph-api.md#token-lifetime). With Facebook Login nothing is refreshed; an `expiresAt` given is still announced. */
export interface TokenRefreshOptions {
  /** Refresh when the token expires within this (default 10 days). */
  readonly refreshBeforeMs?: number;
  /** Announce `token-expiring` when the token expires within this (default 7 days): after a refresh this only happens if refreshing keeps failing. */
  readonly warnBeforeMs?: number;
  /** When the given token expires (epoch ms), if the app knows it from Meta's answer; else igflow learns it from its first refresh. */
  readonly expiresAt?: number;
  /** Told the new token after every refresh, so the app can keep it; igflow keeps it only in memory. */
  readonly onRefreshed?: (token: string, expiresAt: number) => void;
}

/** What the keeper tells its owner (never the token). */
export type TokenNotice = { readonly kind: 'expiring'; readonly expiresAt: number } | { readonly kind: 'refreshed'; readonly expiresAt: number } | { readonly kind: 'refresh-failed'; readonly message: string };

/** Everything a {@link TokenKeeper} needs. */
export interface TokenKeeperOptions {
  readonly source: AccessToken;
  readonly now: () => number;
  /** Every token seen, for redaction. */
  readonly onSecret: (token: string) => void;
  /** The app's lifetime options: with `refresh`, igflow refreshes; without (Facebook Login), it only announces an `expiresAt` the app gave. */
  readonly lifetime?: TokenRefreshOptions | undefined;
  /** The refresh call (Instagram Login only). */
  readonly refresh?: ((token: string) => Promise<RefreshedToken>) | undefined;
  readonly onNotice?: ((notice: TokenNotice) => void) | undefined;
}

const DAY_MS = 86_400_000;
/** After a failed refresh, the next try waits this long (a refused refresh is not retried on every request). */
const RETRY_REFRESH_MS = 3_600_000;

/**
 * Hands out the token a request needs: the app's (a string, or its function
 * called each time), or, with refresh on, the token igflow refreshed itself
 * when the one it had neared its expiry. The expiry is only ever the Graph
 * API's (`expires_in` of a refresh, or what the app was told), never a
 * guess; `expiring` is announced once per expiry, days ahead. Tokens are
 * kept in memory only.
 */
export class TokenKeeper {
  private refreshed: string | undefined;
  private expiresAt: number | undefined;
  private warnedFor: number | undefined;
  private refreshing: Promise<void> | undefined;
  private retryAt = 0;

  constructor(private readonly options: TokenKeeperOptions) {
    this.expiresAt = options.lifetime?.expiresAt;
  }

  /** The token for the next request. */
  async current(): Promise<string> {
    const token = this.refreshed ?? (typeof this.options.source === 'string' ? this.options.source : await this.options.source());
    if (typeof token === 'string' && token !== '') this.options.onSecret(token);
    const lifetime = this.options.lifetime;
    if (lifetime === undefined || typeof token !== 'string' || token === '') return token;
    const now = this.options.now();
    const due = this.expiresAt === undefined || now >= this.expiresAt - (lifetime.refreshBeforeMs ?? 10 * DAY_MS);
    if (this.options.refresh !== undefined && due && now >= this.retryAt) {
      this.refreshing ??= this.refresh(token).finally(() => (this.refreshing = undefined));
      await this.refreshing;
    }
    this.warnIfNear();
    return this.refreshed ?? token;
  }

  private async refresh(token: string): Promise<void> {
    const lifetime = this.options.lifetime;
    try {
      const answer = await this.options.refresh!(token);
      this.options.onSecret(answer.token);
      this.refreshed = answer.token;
      this.expiresAt = this.options.now() + answer.expiresInMs;
      this.options.onNotice?.({ kind: 'refreshed', expiresAt: this.expiresAt });
      lifetime?.onRefreshed?.(answer.token, this.expiresAt);
    } catch (err) {
      this.retryAt = this.options.now() + RETRY_REFRESH_MS;
      this.options.onNotice?.({ kind: 'refresh-failed', message: err instanceof Error ? err.message : String(err) });
    }
  }

  private warnIfNear(): void {
    const expiresAt = this.expiresAt;
    if (expiresAt === undefined || this.warnedFor === expiresAt) return;
    if (this.options.now() < expiresAt - (this.options.lifetime?.warnBeforeMs ?? 7 * DAY_MS)) return;
    this.warnedFor = expiresAt;
    this.options.onNotice?.({ kind: 'expiring', expiresAt });
  }
}
