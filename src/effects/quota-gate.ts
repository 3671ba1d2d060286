import type { GraphClient } from '../graph/client.js';
import type { Clock } from '../time/clock.js';

/** One publish in an account's ledger. */
export interface PublishEntry {
  readonly account: string;
  readonly postId: string;
  readonly at: number;
}

/** Where the client-side ledger lives (the Store implements it, persisted). */
export interface PublishLedger {
  recordPublish(entry: PublishEntry): Promise<void>;
  publishesSince(account: string, since: number): Promise<readonly PublishEntry[]>;
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
 * of Instagram's `quota_usage` and a persisted client-side ledger of this
 * account's publishes in the moving 24 h window, plus the publishes under
 * way, so a burst cannot race the server's count. The server is read at
 * least every `refreshMs` and whenever the count nears the quota; in
 * between, its last answer plus the ledger's newer publishes stand in.
 * Over the quota, the decision carries when the oldest counted publish
 * leaves the window. Checks are serialised per account; the ledger's
 * window is kept in memory between reads, which happen as often as the
 * server's (every `refreshMs`, and whenever the count nears the quota).
 */
export class QuotaGate {
  private total = FALLBACK_TOTAL;
  private serverUsage = 0;
  private serverReadAt = Number.NEGATIVE_INFINITY;
  private ledgerAtRead = 0;
  private readonly reserved = new Map<string, number>();
  /** The ledger's moving window, as last read, plus what this gate recorded since. */
  private window: PublishEntry[] | undefined;
  private windowReadAt = Number.NEGATIVE_INFINITY;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: QuotaGateOptions) {}

  /** Decides for a post about to publish; an ok reserves a slot for it until it is recorded. */
  check(postId: string, serverSaidFull = false): Promise<QuotaDecision> {
    const run = this.queue.then(() => this.decide(postId, serverSaidFull));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Records a publish in the ledger and frees its reservation. */
  async record(postId: string, at: number): Promise<void> {
    this.reserved.delete(postId);
    const entry = { account: this.options.account, postId, at };
    this.window?.push(entry);
    await this.options.ledger.recordPublish(entry);
  }

  private async decide(postId: string, serverSaidFull: boolean): Promise<QuotaDecision> {
    const { clock } = this.options;
    const now = clock.now();
    for (const [id, until] of this.reserved) if (until <= now || id === postId) this.reserved.delete(id);
    const window = await this.ledgerWindow(now);
    const local = window.length;
    if (serverSaidFull) {
      this.serverUsage = Math.max(this.serverUsage, this.total);
      this.serverReadAt = now;
      this.ledgerAtRead = local;
    } else if (this.shouldRead(now, local)) {
      await this.read(now, local);
    }
    const used = this.used(local);
    if (used < this.total) {
      this.reserved.set(postId, now + RESERVATION_MS);
      return { ok: true, used, total: this.total };
    }
    // The window frees a slot when enough of the publishes it counts have left it.
    const excess = used - this.total;
    const oldest = [...window].sort((a, b) => a.at - b.at)[excess];
    const wakeAt = oldest === undefined ? now + UNKNOWN_WAIT_MS : oldest.at + DAY_MS + (this.options.marginMs ?? 60_000);
    return { ok: false, used, total: this.total, wakeAt: Math.max(wakeAt, now + 1) };
  }

  /**
   * The publishes of the moving window: read from the ledger when the last
   * read is older than `refreshMs` or the count nears the quota (other
   * processes may publish for this account too), else from memory.
   */
  private async ledgerWindow(now: number): Promise<PublishEntry[]> {
    const since = now - DAY_MS;
    // Publishes are recorded in about the order they happen: while the oldest is still in the window, so is the rest (a late straggler only counts a little longer, on the safe side).
    const cached = this.window !== undefined && (this.window[0]?.at ?? since) < since ? this.window.filter((e) => e.at >= since) : this.window;
    if (cached === undefined || this.nearQuota(cached.length + this.reserved.size) || now - this.windowReadAt >= (this.options.refreshMs ?? 600_000)) {
      this.window = [...(await this.options.ledger.publishesSince(this.options.account, since))];
      this.windowReadAt = now;
      return this.window;
    }
    this.window = cached;
    return cached;
  }

  private shouldRead(now: number, local: number): boolean {
    const stale = now - this.serverReadAt >= (this.options.refreshMs ?? 600_000);
    return stale || this.nearQuota(this.used(local));
  }

  /** The stricter count: the ledger's, or the server's last answer plus the ledger's newer publishes; plus publishes under way. */
  private used(local: number): number {
    return Math.max(local, this.serverUsage + Math.max(0, local - this.ledgerAtRead)) + this.reserved.size;
  }

  /** Whether one more publish would bring the count within 10% of the quota: then Instagram and the ledger are read afresh. */
  private nearQuota(count: number): boolean {
    return count + 1 >= this.total * 0.9;
  }

  private async read(now: number, local: number): Promise<void> {
    try {
      const limit = await this.options.graph().publishingLimit();
      this.total = limit.quotaTotal;
      this.serverUsage = limit.quotaUsage;
      this.serverReadAt = now;
      this.ledgerAtRead = local;
    } catch {
      // Keep the last view (and the ledger): a failed read must not stop publishing, nor allow more than we know.
    }
  }
}
