import type { StatusForm } from './container-status.js';
import { IdSource } from './ids.js';
import { createPrng, type Prng } from './prng.js';
import type { CommentRecord, ContainerRecord, MediaRecord, SimRecord } from './record.js';
import { uploadContentId } from './upload-record.js';
import type { UploadSession } from './upload-session.js';
import { WindowLog } from './window-log.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** An account the simulator knows, as a caller declares it. */
export interface AccountOptions {
  readonly igUserId: string;
  readonly token: string;
  /** Overrides the scenario's `quotaTotal` for this account. */
  readonly quotaTotal?: number;
  /** The handle `username` reads return (default `sim_<last 6 digits>`). */
  readonly username?: string;
  /** When the token expires (sim epoch ms; default never): requests with it are refused with 190 / 463 from then on. */
  readonly tokenExpiresAt?: number;
  /** When the token was issued (sim epoch ms; default long ago): a refresh needs a token at least 24 h old. */
  readonly tokenIssuedAt?: number;
  /** More tokens of the account, by a label the request record names (`client`): tell apart the workers of one account. */
  readonly clients?: Readonly<Record<string, string>>;
}

/** What the simulator knows of a token: whose it is, when it was issued, when it expires. */
export interface TokenInfo {
  readonly account: Account;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

/** An account and everything it did. */
export interface Account {
  readonly igUserId: string;
  readonly token: string | undefined;
  readonly quotaTotal: number | undefined;
  readonly username: string;
  /** Successful publishes, moving 24 h window (docs/graph-api.md#the-publishing-quota). */
  readonly publishes: WindowLog;
  /** Container creations, moving 24 h window (docs/graph-api.md#lifetime-and-the-container-cap: 400 cap). */
  readonly creations: WindowLog;
  /** Calls, rolling hour (docs/graph-api.md#usage-headers). */
  readonly calls: WindowLog;
  /** Feed media (posts, reels, carousels), oldest first. */
  readonly feed: MediaRecord[];
  /** Stories, oldest first (the media edge excludes them, docs/graph-api.md#recovering-the-media-id). */
  readonly stories: MediaRecord[];
  /** Content fingerprint → the first media published with it. */
  readonly fingerprints: Map<string, string>;
}

/** A container plus what only the simulator needs to know about it. */
export interface Container {
  readonly rec: ContainerRecord;
  readonly caption: string | undefined;
  /** The media URLs it was created with (none for a resumable container: see {@link mediaOf}). */
  readonly mediaUrls: readonly string[];
  /** How its ERROR status reads, when a rule chose a form. */
  readonly statusForm: StatusForm | undefined;
  /** Sim time of the last status read (for `poll-too-fast`). */
  lastReadAt: number | undefined;
  /** The upload session of a container created with `upload_type=resumable`. */
  readonly upload?: UploadSession | undefined;
}

/** The media a container carries: its URLs, or an uploaded video's content ID once the upload is complete. */
export function mediaOf(container: Container): readonly string[] {
  const upload = container.rec.upload;
  if (upload === undefined) return container.mediaUrls;
  const id = uploadContentId(upload);
  return id === undefined ? [] : [id];
}

/** The simulated Instagram: accounts, containers and media, all O(1) by ID. */
export class World {
  readonly accounts = new Map<string, Account>();
  readonly containers = new Map<string, Container>();
  readonly media = new Map<string, MediaRecord>();
  /** Comments by media id, oldest first. */
  readonly comments = new Map<string, CommentRecord[]>();
  readonly ids = new IdSource();
  prng: Prng;
  private readonly byToken = new Map<string, TokenInfo>();
  private readonly clientByToken = new Map<string, string>();

  constructor(
    readonly record: SimRecord,
    accounts: readonly AccountOptions[],
    seed: number,
  ) {
    this.prng = createPrng(seed);
    for (const options of accounts) {
      const account = this.addAccount(options);
      for (const [label, token] of Object.entries(options.clients ?? {})) {
        this.addToken(token, account, options.tokenIssuedAt ?? -Infinity, options.tokenExpiresAt ?? Infinity);
        this.clientByToken.set(token, label);
      }
    }
  }

  /** The label of a token given among an account's `clients`. */
  clientOf(token: string): string | undefined {
    return this.clientByToken.get(token);
  }

  /** Registers an account (with `token` undefined it is reachable only with `acceptAnyToken`). */
  addAccount(options: {
    igUserId: string;
    token?: string | undefined;
    quotaTotal?: number | undefined;
    username?: string | undefined;
    tokenExpiresAt?: number | undefined;
    tokenIssuedAt?: number | undefined;
  }): Account {
    const account: Account = {
      igUserId: options.igUserId,
      token: options.token,
      quotaTotal: options.quotaTotal,
      username: options.username ?? `sim_${options.igUserId.slice(-6)}`,
      publishes: new WindowLog(DAY_MS),
      creations: new WindowLog(DAY_MS),
      calls: new WindowLog(HOUR_MS),
      feed: [],
      stories: [],
      fingerprints: new Map(),
    };
    this.accounts.set(account.igUserId, account);
    if (account.token !== undefined) this.addToken(account.token, account, options.tokenIssuedAt ?? -Infinity, options.tokenExpiresAt ?? Infinity);
    return account;
  }

  /** Registers a token of an account (a refresh's new one); the old ones stay valid until they expire. */
  addToken(token: string, account: Account, issuedAt: number, expiresAt: number): void {
    this.byToken.set(token, { account, issuedAt, expiresAt });
  }

  /** The account a token belongs to. */
  accountByToken(token: string): Account | undefined {
    return this.byToken.get(token)?.account;
  }

  /** Everything known of a token. */
  tokenInfo(token: string): TokenInfo | undefined {
    return this.byToken.get(token);
  }

  /** The account with this ID, created on the spot (used with `acceptAnyToken`). */
  ensureAccount(igUserId: string): Account {
    return this.accounts.get(igUserId) ?? this.addAccount({ igUserId });
  }

  /** The account that owns a container or media ID. */
  ownerOf(id: string): Account | undefined {
    const owner = this.containers.get(id)?.rec.account ?? this.media.get(id)?.account;
    return owner === undefined ? undefined : this.accounts.get(owner);
  }
}
