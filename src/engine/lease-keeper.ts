import { timer, type Subscription } from 'rxjs';
import type { WorkQueue } from '../adapters/store.js';
import type { Clock } from '../time/clock.js';
import type { PostRunner } from './post-runner.js';

/** What the lease keeper needs from its engine. */
export interface LeaseKeeperOptions {
  readonly queue: WorkQueue;
  readonly clock: Clock;
  readonly owner: string;
  readonly leaseMs: number;
  /** The posts this engine runs now. */
  readonly runners: () => Iterable<PostRunner>;
  readonly problem: (message: string) => void;
}

/**
 * Keeps this engine's leases alive: every third of a lease, one batched
 * renewal of every running post (the store writes only lease data, checked
 * against each lease token). A post whose lease is no longer this engine's
 * is told so (its machine stops as `interrupted`); a failed renewal is
 * reported and tried again next time (a runner publishes only while its own
 * record of the lease leaves time to spare).
 */
export class LeaseKeeper {
  private subscription: Subscription | undefined;
  private renewing = false;

  constructor(private readonly options: LeaseKeeperOptions) {}

  /** Starts renewing, if not yet. */
  start(): void {
    if (this.subscription !== undefined) return;
    const every = Math.max(1, Math.floor(this.options.leaseMs / 3));
    this.subscription = timer(every, every, this.options.clock).subscribe(() => void this.renew());
  }

  /** Stops renewing. */
  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  /** One renewal of every running post's lease. */
  async renew(): Promise<void> {
    if (this.renewing) return;
    const runners = [...this.options.runners()];
    if (runners.length === 0) return;
    this.renewing = true;
    const until = this.options.clock.now() + this.options.leaseMs;
    try {
      const lost = new Set(await this.options.queue.renew(this.options.owner, runners.map((r) => r.lease), until));
      for (const runner of runners) {
        if (lost.has(runner.postId)) runner.leaseLost('another worker holds this post now; it carries on there');
        else runner.extend(until);
      }
    } catch (err) {
      this.options.problem(`could not renew the leases of ${runners.length} post${runners.length === 1 ? '' : 's'}: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.renewing = false;
    }
  }
}
