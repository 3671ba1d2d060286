import type { Dispatcher } from 'undici';
import type { InspectionEvent } from 'xstate';
import type { Store } from '../adapters/store.js';
import type { GraphClient } from '../graph/client.js';
import type { GraphClientOptions } from '../graph/graph-options.js';
import type { TokenRefreshOptions } from '../graph/token-keeper.js';
import type { MediaCheckSettings } from '../media/check-media.js';
import type { PollingOptions } from '../polling/polling-options.js';
import type { Login } from '../spec/post-spec.js';
import type { Clock } from '../time/clock.js';
import type { StatelyInspector } from './stately-inspector.js';
import type { WebhookOptionsInput } from '../webhooks/webhook-options.js';

/** Everything {@link createEngine} takes. Only `store` and `graph` are required. */
export interface EngineOptions extends PollingOptions {
  /** Where posts live: `fileStore(dir)`, `memoryStore()`, or any Store. */
  readonly store: Store;
  /**
   * The account: Graph client options (`{ accessToken, igUserId, baseUrl }`)
   * or a ready client; or several, one per account (`publish(spec, { account })`
   * picks one; the first is the default). Each account has its own rate
   * brake and quota. Usage headers feed the brakes of clients the engine
   * creates from options.
   */
  readonly graph: GraphClientOptions | GraphClient | ReadonlyArray<GraphClientOptions | GraphClient>;
  /** Time for every wait (default: the system clock). Tests pass a VirtualClock. */
  readonly clock?: Clock;
  /**
   * XState's inspect callback, for every actor of every post; it never sees
   * the token, and each post's root actor is named by the post's key (its
   * post id when it has none).
   */
  readonly inspect?: (event: InspectionEvent) => void;
  /**
   * A Stately inspector connection the engine owns: one from
   * `connectStatelyInspector()`, or the ws:// URL of one to open. It gets
   * the same sanitized events as `inspect`, and `shutdown()` closes it.
   */
  readonly inspector?: StatelyInspector | string;
  /** The base unit of every wait igflow chooses itself (the CLI's --poll-interval); default 5 s. */
  readonly pollIntervalMs?: number;
  /** The account's login, for validation (branded content needs Facebook Login); default from `graph`, else instagram. */
  readonly login?: Login;
  /** How long a lease on a post lasts before another worker may take it; renewed while working. Default 60 s. */
  readonly leaseMs?: number;
  /**
   * How long a container may stay IN_PROGRESS before igflow makes a new one,
   * per media kind (Instagram's behaviour, so not scaled by the poll unit).
   * Default 10 minutes for images, 30 for video.
   */
  readonly processingDeadlineMs?: { readonly image?: number; readonly video?: number };
  /** Waits at least this long park the post in the store instead of holding a live actor. Default 30 s. */
  readonly parkAfterMs?: number;
  /** Secrets to keep out of inspection besides the tokens of `graph` options (the token of a ready client, say). */
  readonly secrets?: readonly string[];
  /**
   * Instagram Login: refresh each account's long-lived token when it nears
   * its expiry (`GET /refresh_access_token`), keeping the new one in memory
   * (and telling `onRefreshed`). Off by default; an account's own
   * `graph.tokenRefresh` wins. Either way a `token-expiring` event comes
   * days ahead of an expiry the Graph API reported (docs/graph-api.md#token-lifetime).
   */
  readonly tokenRefresh?: TokenRefreshOptions;
  /**
   * Media checks before a post is stored (README, *Media checks*): the first
   * bytes of every media are read and what Instagram would refuse is an
   * InvalidMedia error, nothing stored or sent; a media that cannot be read
   * is a `warning` event. `false` turns them off (a spec's `checkMedia:
   * false` does so for one post); settings bound the reads. Default on.
   */
  readonly mediaChecks?: boolean | MediaCheckSettings;
  /**
   * Containers an account may create per moving 24 h (Instagram's cap: 400),
   * counted in the store's ledger by every worker: a container waits
   * rather than be the one over. Default 400.
   */
  readonly containerBudget?: number;
  /** This engine's name on leases (default: host/pid/nonce, so a dead holder on this machine is recognised). */
  readonly owner?: string;
  /**
   * Deliver the outcome of every post the store finishes to this webhook
   * (README, *Outcomes and webhooks*): from the store's outbox, at least
   * once each, signed with HMAC-SHA256 under `secret`, retried with an
   * exponential backoff, until `shutdown()`. Any number of engines may
   * deliver from one store: each outcome goes out from one at a time.
   * Delivered outcomes older than `retentionMs` are pruned from the
   * outbox hourly; undelivered ones never are.
   */
  readonly webhook?: WebhookOptionsInput & {
    /** An undici dispatcher for the deliveries (a proxy, custom TLS; tests hold their virtual clock with one). Default: the deliverer's own Agent. */
    readonly dispatcher?: Dispatcher;
  };
  /** How often `outcomes$`, `watch()` and the webhook deliverer look at a store that cannot announce outcomes (the file store), in ms. Default 250. */
  readonly outcomePollMs?: number;
}

/** The defaults of the optional {@link EngineOptions}. */
export const engineDefaults = { pollIntervalMs: 5_000, leaseMs: 60_000, parkAfterMs: 30_000, outcomePollMs: 250 } as const;

/** Whether `graph` is a ready client rather than options. */
export function isGraphClient(graph: GraphClientOptions | GraphClient): graph is GraphClient {
  return typeof (graph as Partial<GraphClient>).createContainer === 'function';
}
