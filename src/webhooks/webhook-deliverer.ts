import type { Subscription } from 'rxjs';
import type { DeliveryClaim, Outbox } from '../adapters/store.js';
import { outcomeOfEntry } from '../outcomes/outcome-event.js';
import type { Clock } from '../time/clock.js';
import type { WebhookSender } from './send-webhook.js';
import { retryDelayMs, type WebhookSettings } from './webhook-options.js';

/** What a {@link WebhookDeliverer} works with. */
export interface WebhookDelivererOptions {
  readonly outbox: Outbox;
  readonly sender: WebhookSender;
  readonly clock: Clock;
  /** This engine's name on delivery leases. */
  readonly owner: string;
  readonly settings: WebhookSettings;
  /** How often a store that polls is looked at for new outcomes (ms). */
  readonly pollMs: number;
  /** Tells a failed attempt or a store that does not answer (never the URL or the secret). */
  readonly problem: (postId: string, message: string) => void;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** How often a deliverer prunes the outbox (ms of the engine's clock). */
export const PRUNE_EVERY_MS = 3_600_000;

/** How many entries one prune call removes at most (it calls again while they come full). */
const PRUNE_BATCH = 500;

/**
 * Delivers the store's outbox to one webhook, at least once each: claims
 * due entries (a lease each, so one deliverer at a time sends an entry,
 * across processes), POSTs them, marks one delivered only after a 2xx,
 * and otherwise gives it back to be tried again after an exponential
 * backoff on the engine's clock. A deliverer killed mid-delivery leaves
 * its leases to run out (after twice the timeout); another one sends
 * those entries again. It wakes when the store announces an outcome
 * (Outbox.follow), when the next retry is due, and every `idleMs`.
 * After a pump, at most once per {@link PRUNE_EVERY_MS}, it prunes the
 * delivered entries older than `retentionMs` (Outbox.prune), so the
 * outbox holds what is undelivered plus the retention's worth.
 */
export class WebhookDeliverer {
  private stopped = false;
  private pumping: Promise<void> | undefined;
  private again = false;
  private timer: Subscription | undefined;
  private unfollow: Promise<(() => Promise<void>) | undefined> | undefined;
  private pruneAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: WebhookDelivererOptions) {}

  /** Starts following the outbox and delivering. */
  start(): void {
    this.unfollow = this.options.outbox.follow(() => this.nudge(), { clock: this.options.clock, pollMs: this.options.pollMs }).catch((error: unknown) => {
      this.options.problem('(webhook)', `cannot follow the store's outcomes (looking every ${this.options.settings.idleMs} ms instead): ${messageOf(error)}`);
      return undefined;
    });
    this.nudge();
  }

  /** Looks for due deliveries now. */
  nudge(): void {
    if (this.stopped) return;
    if (this.pumping !== undefined) {
      this.again = true;
      return;
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.nudge();
      }
    });
  }

  /** Stops: no new claims; resolves once the deliveries in flight are settled (their leases run out if they were cut short). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.unsubscribe();
    await this.pumping;
    const unfollow = await this.unfollow;
    await unfollow?.();
    await this.options.sender.close();
  }

  private async pump(): Promise<void> {
    const { outbox, clock, settings } = this.options;
    this.timer?.unsubscribe();
    let wakeAt = clock.now() + settings.idleMs;
    try {
      for (;;) {
        const now = clock.now();
        const claims = await outbox.claimDeliveries({ owner: this.options.owner, now, until: now + 2 * settings.timeoutMs, limit: settings.concurrency });
        await Promise.all(claims.map((claim) => this.deliver(claim)));
        if (claims.length < settings.concurrency || this.stopped) break;
      }
      const next = await outbox.nextDeliveryAt(clock.now());
      if (next !== undefined) wakeAt = Math.min(wakeAt, next);
    } catch (error) {
      this.options.problem('(webhook)', `webhook deliveries wait for the store: ${messageOf(error)}`);
    }
    await this.pruneWhenDue();
    if (this.stopped) return;
    this.timer = clock.schedule(() => this.nudge(), Math.max(0, wakeAt - clock.now()));
  }

  /** Prunes the outbox when the last prune is {@link PRUNE_EVERY_MS} ago; a failure is a problem, and waits for the next turn. */
  private async pruneWhenDue(): Promise<void> {
    const { outbox, clock, settings } = this.options;
    const now = clock.now();
    if (this.stopped || now < this.pruneAt) return;
    this.pruneAt = now + PRUNE_EVERY_MS;
    const before = now - settings.retentionMs;
    try {
      while (!this.stopped && (await outbox.prune({ before, limit: PRUNE_BATCH })) === PRUNE_BATCH);
    } catch (error) {
      this.options.problem('(webhook)', `cannot prune the store's outbox (tried again in ${PRUNE_EVERY_MS / 60_000} min): ${messageOf(error)}`);
    }
  }

  private async deliver(claim: DeliveryClaim): Promise<void> {
    const { outbox, clock, settings, sender } = this.options;
    const result = await sender.send(claim.entry.id, JSON.stringify(outcomeOfEntry(claim.entry)));
    if (result.ok) {
      await outbox.delivered(claim, clock.now());
      return;
    }
    const failed = claim.attempts + 1;
    const nextAt = clock.now() + retryDelayMs(settings, failed);
    this.options.problem(claim.entry.postId, `webhook delivery ${failed} of post ${claim.entry.postId} failed (${result.why}); tried again at ${new Date(nextAt).toISOString()}`);
    await outbox.retryAt(claim, nextAt);
  }
}
