import type { GraphClient } from '../graph/client.js';
import type { Clock } from '../time/clock.js';
import type { SlotAnswer, SlotRequest } from '../adapters/store.js';

/** One publish in an account's ledger. */
export interface PublishEntry {
  readonly account: string;
  readonly postId: string;
  readonly at: number;
}

/** Where the client-side ledger lives (the Store's ledger implements it, persisted and shared by every worker). */
export interface PublishLedger {
  /** Records a publish and frees its reservation. */
  recordPublish(entry: PublishEntry): Promise<void>;
  /** The account's publishes since a time, oldest first. */
  publishesSince(account: string, since: number): Promise<readonly PublishEntry[]>;
  /** One atomic count-decide-reserve of the account's moving window (see the Store's `PublishLedger.takeSlot`). */
  takeSlot(request: SlotRequest & { readonly kind: 'publish' }): Promise<SlotAnswer>;
}

/** May a post publish now, and if not, when to ask again. */
export type QuotaDecision =
  | { readonly ok: true; readonly used: number; readonly total: number }
  | { readonly ok: false; readonly used: number; readonly total: number; readonly wakeAt: number };

/** Options of {@link QuotaGate}. */
export interface QuotaGateOptions {
  readonly account: string;
  readonly clock: Clock;
  readonly graph: () => GraphClient;
  readonly ledger: PublishLedger;
  /** Read `content_publishing_limit` at least this often (default 10 min); always when the count nears the quota. */
  readonly refreshMs?: number;
  /** A margin after the oldest counted publish leaves the window, before trying again (default 1 min). */
  readonly marginMs?: number;
}

const DAY_MS = 86_400_000;
/** docs/graph-api.md#the-publishing-quota: when `quota_total` cannot be read, assume 50. */
const FALLBACK_TOTAL = 50;
/** A reservation (a publish under way) that was never recorded is forgotten after this long. */
const RESERVATION_MS = 10 * 60_000;
/** When the server counts publishes this ledger does not know, ask again after this long. */
const UNKNOWN_WAIT_MS = 3_600_000;

/**
 * An account's daily publishing quota (docs/graph-api.md#the-publishing-quota): the stricter
 * of Instagram's `quota_usage` and the persisted client-side ledger of this
 * account's publishes in the moving 24 h window, plus the publishes under
 * way in every worker sharing the store. The decision is the ledger's one
 * atomic `takeSlot`, so workers checking at the same instant never reserve
 * more than the account has left; Instagram's last answer goes with it as
 * the floor of the count. Instagram is read at least every `refreshMs` and
 * whenever the count nears the quota. Over the quota, the decision
 * carries when the oldest counted publish leaves the window. Checks are
 * serialised per account within a process.
 */
export class QuotaGate {
  private total = FALLBACK_TOTAL;
  private serverUsage = 0;
  private serverReadAt = Number.NEGATIVE_INFINITY;
  /** The count of the last decision: near the quota, Instagram is read before every check. */
  private lastUsed = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: QuotaGateOptions) {}

  /** Decides for a post about to publish; an ok reserves a slot for it (in the store) until it is recorded. */
  check(postId: string, serverSaidFull = false): Promise<QuotaDecision> {
    const run = this.queue.then(() => this.decide(postId, serverSaidFull));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Records a publish in the ledger, which frees its reservation (already counted in `lastUsed`, so the count stays). */
  async record(postId: string, at: number): Promise<void> {
    await this.options.ledger.recordPublish({ account: this.options.account, postId, at });
  }

  private async decide(postId: string, serverSaidFull: boolean): Promise<QuotaDecision> {
    const { clock, account, ledger } = this.options;
    const now = clock.now();
    if (serverSaidFull) {
      this.serverUsage = Math.max(this.serverUsage, this.total);
      this.serverReadAt = now;
    } else if (now - this.serverReadAt >= (this.options.refreshMs ?? 600_000) || this.nearQuota(this.lastUsed)) {
      await this.read(now);
    }
    const floor = Number.isFinite(this.serverReadAt) ? { used: this.serverUsage, at: this.serverReadAt } : undefined;
    const answer = await ledger.takeSlot({ account, postId, kind: 'publish', now, windowMs: DAY_MS, total: this.total, floor, until: now + RESERVATION_MS });
    this.lastUsed = answer.used + (answer.ok ? 1 : 0);
    if (answer.ok) return { ok: true, used: answer.used, total: this.total };
    const wakeAt = answer.freesAt === undefined ? now + UNKNOWN_WAIT_MS : answer.freesAt + (this.options.marginMs ?? 60_000);
    return { ok: false, used: answer.used, total: this.total, wakeAt: Math.max(wakeAt, now + 1) };
  }

  /** Whether one more publish would bring the count within 10% of the quota: then Instagram is read afresh. */
  private nearQuota(count: number): boolean {
    return count + 1 >= this.total * 0.9;
  }

  private async read(now: number): Promise<void> {
    try {
      const limit = await this.options.graph().publishingLimit();
      this.total = limit.quotaTotal;
      this.serverUsage = limit.quotaUsage;
      this.serverReadAt = now;
    } catch {
      // Keep the last view (and the ledger): a failed read must not stop publishing, nor allow more than we know.
    }
  }
}
