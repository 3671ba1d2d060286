import { defer, switchMap, type Observable } from 'rxjs';
import type { BrakeBoard } from '../adapters/store.js';
import { QuotaGate, type PublishLedger } from '../effects/quota-gate.js';
import { RateGate, type CallPriority } from '../effects/rate-gate.js';
import { createGraphClient, type GraphClient } from '../graph/client.js';
import type { AnswerInfo, GraphClientOptions } from '../graph/graph-options.js';
import type { TokenNotice, TokenRefreshOptions } from '../graph/token-keeper.js';
import type { Clock } from '../time/clock.js';
import { isGraphClient } from './engine-options.js';
import { accountBrakeKey, APP_BRAKE_KEY, sharedBrakes } from './shared-brakes.js';

/** Graph error codes of app-wide rate limits; the others are an account's (docs/graph-api.md#throttle-codes). */
const APP_LIMIT_CODES: ReadonlySet<number> = new Set([4, 341]);

/** One Instagram account the engine publishes for: its client, its brake and its quota. */
export interface Account {
  readonly igUserId: string;
  readonly graph: GraphClient;
  readonly gate: RateGate;
  readonly quota: QuotaGate;
}

/** The engine's accounts, and the app's shared brake. */
export interface Accounts {
  /** The first account: the one a post goes to when none is named. */
  readonly first: Account;
  /** Every account's IG user id. */
  readonly ids: readonly string[];
  get(igUserId: string): Account | undefined;
  /** Every access token seen so far (for redaction): a live list, grown as tokens are handed out. */
  readonly secrets: readonly string[];
  /** Waits at the app's and then the account's brake. */
  admit(igUserId: string, priority: CallPriority): Observable<unknown>;
  /** Closes the clients the engine created. */
  close(): Promise<void>;
}

/** What the accounts need from the engine. */
export interface AccountsContext {
  readonly clock: Clock;
  readonly unitMs: number;
  readonly ledger: PublishLedger;
  /** The store's shared brakes: every worker of an account brakes together. Without it, each engine brakes alone. */
  readonly brakes?: BrakeBoard | undefined;
  /** The engine's token refresh, for accounts that do not set their own. */
  readonly tokenRefresh?: TokenRefreshOptions | undefined;
  /** Told what an account's token keeper learnt (never the token). */
  readonly onTokenNotice?: ((account: string, notice: TokenNotice) => void) | undefined;
}

/**
 * Builds the accounts from the engine's `graph` option (options or ready
 * clients, one or many). Each account gets its own rate gate (fed by its
 * client's answers) and quota gate, so one account's throttling or quota
 * never slows another; app-wide throttle answers (codes 4, 341) brake
 * every account through one shared gate. (X-App-Usage is parsed and fed to
 * the account's gate with the rest of the answer; Instagram's own limits
 * are per business use case, docs/graph-api.md#throttle-codes.) With the
 * store's `brakes`, the gates are shared with every worker of the store
 * (shared-brakes.ts): one worker's throttle answer stops them all.
 */
export function createAccounts(graphs: ReadonlyArray<GraphClientOptions | GraphClient>, ctx: AccountsContext, extraSecrets: readonly string[] = []): Accounts {
  if (graphs.length === 0) throw new TypeError('igflow: createEngine needs at least one account in `graph`');
  const app = new RateGate({ clock: ctx.clock, unitMs: ctx.unitMs });
  const owned: GraphClient[] = [];
  const secrets: string[] = [...extraSecrets];
  const byId = new Map<string, Account>();
  const gates = new Map<string, RateGate>([[APP_BRAKE_KEY, app]]);
  const shared = ctx.brakes === undefined ? undefined : sharedBrakes(ctx.brakes, (key) => gates.get(key));
  for (const entry of graphs) {
    const gate = new RateGate({ clock: ctx.clock, unitMs: ctx.unitMs });
    let key = '';
    const observe = (info: AnswerInfo) => {
      if (gate.observe(info)) shared?.share(key, gate);
      // Instagram limits calls per business use case (per account); only app-wide throttle answers brake every account.
      if (info.code !== undefined && APP_LIMIT_CODES.has(info.code) && app.observe({ ...info, usage: undefined })) shared?.share(APP_BRAKE_KEY, app);
    };
    let graph: GraphClient;
    if (isGraphClient(entry)) {
      graph = entry;
    } else {
      graph = createGraphClient({
        // the engine's clock: token expiry (and Retry-After dates) on the time everything else runs on
        now: () => ctx.clock.now(),
        ...entry,
        ...(ctx.tokenRefresh === undefined || entry.tokenRefresh !== undefined ? {} : { tokenRefresh: ctx.tokenRefresh }),
        onAnswer: (info) => {
          observe(info);
          entry.onAnswer?.(info);
        },
        // every token the client sends (a function's, a refreshed one) is kept out of inspection too
        onSecret: (token) => {
          if (!secrets.includes(token)) secrets.push(token);
          entry.onSecret?.(token);
        },
        onTokenNotice: (notice) => {
          ctx.onTokenNotice?.(entry.igUserId, notice);
          entry.onTokenNotice?.(notice);
        },
      });
      owned.push(graph);
      if (typeof entry.accessToken === 'string') secrets.push(entry.accessToken);
    }
    if (byId.has(graph.igUserId)) throw new TypeError(`igflow: account ${graph.igUserId} is given twice`);
    key = accountBrakeKey(graph.igUserId);
    gates.set(key, gate);
    const quota = new QuotaGate({ account: graph.igUserId, clock: ctx.clock, graph: () => graph, ledger: ctx.ledger });
    byId.set(graph.igUserId, { igUserId: graph.igUserId, graph, gate, quota });
  }
  const first = byId.values().next().value as Account;
  return {
    first,
    ids: [...byId.keys()],
    secrets,
    get: (igUserId) => byId.get(igUserId),
    admit(igUserId, priority) {
      const account = byId.get(igUserId);
      const app$ = app.admit(priority);
      const gated = account === undefined ? app$ : app$.pipe(switchMap(() => account.gate.admit(priority)));
      // what the other workers saw first (at once while the store is watched), then the brakes
      return shared === undefined ? gated : defer(() => shared.fresh()).pipe(switchMap(() => gated));
    },
    close: async () => {
      await Promise.all([...owned.map((g) => g.close()), shared?.close()]);
    },
  };
}
