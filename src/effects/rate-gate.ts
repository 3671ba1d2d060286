import { defer, of, switchMap, timer, type Observable } from 'rxjs';
import type { BrakeState } from '../adapters/store.js';
import type { AnswerInfo } from '../graph/graph-options.js';
import { retryDelayMs } from '../machines/timing.js';
import type { Clock } from '../time/clock.js';

/** How urgent a call is: under pressure, reads back off first and publishes last. */
export type CallPriority = 'read' | 'create' | 'publish';

/** Usage at or above this percentage slows reads and creates down (Mixpost uses 90; docs/graph-api.md#backing-off). */
const SLOWDOWN_PERCENT = 90;

/** Extra wait, in units, per priority while usage is high; publishes are never slowed by usage alone. */
const PRESSURE_UNITS: Readonly<Record<CallPriority, number>> = { read: 12, create: 4, publish: 0 };

/** A usage reading counts for this many units; Instagram sends fresh ones with every answer. */
const USAGE_FRESH_UNITS = 12;

/** After a block ends, reads and creates let publishes go first by this many units. */
const AFTER_BLOCK_UNITS: Readonly<Record<CallPriority, number>> = { read: 2, create: 1, publish: 0 };

/** Options of {@link RateGate}. */
export interface RateGateOptions {
  readonly clock: Clock;
  /** The base unit of igflow's own waits (backoff when the server gives no hint). */
  readonly unitMs: number;
  /** Jitter source in [0, 1); injectable so tests stay deterministic. */
  readonly random?: () => number;
}

/**
 * One account's (or the app's) shared brake. Every Graph call of the
 * account waits at the gate; every answer feeds it. A throttle answer
 * blocks the whole account until `estimated_time_to_regain_access` (or a
 * capped, jittered exponential backoff when the server gives no hint);
 * usage headers near 100% slow reads and creates down before Instagram has
 * to say no. Meta: once throttled, stop calling, since further calls lengthen
 * the block (docs/graph-api.md#backing-off). A gate is one process's view
 * of the brake; `shared` and `learn` carry it to and from the store's
 * BrakeBoard, so every worker brakes together (engine/shared-brakes.ts).
 */
export class RateGate {
  private blockedUntil = 0;
  private strikes = 0;
  private peakPercent = 0;
  private usageSeenAt = Number.NEGATIVE_INFINITY;
  private readonly random: () => number;

  constructor(private readonly options: RateGateOptions) {
    this.random = options.random ?? Math.random;
  }

  /** Whether calls wait right now, and until when (epoch ms). */
  get blocked(): number | undefined {
    return this.blockedUntil > this.options.clock.now() ? this.blockedUntil : undefined;
  }

  /**
   * Learns from one answer. Returns whether it changed what other workers
   * should know (a longer block, usage crossing the slowdown line, strikes
   * reset after a throttle): only then is the shared brake written.
   */
  observe(info: AnswerInfo): boolean {
    const now = this.options.clock.now();
    const before = { blockedUntil: this.blockedUntil, slow: this.slow(now), strikes: this.strikes };
    if (info.usage !== undefined) {
      this.peakPercent = info.usage.peakPercent;
      this.usageSeenAt = now;
      if (info.usage.regainAccessMs !== undefined) this.blockedUntil = Math.max(this.blockedUntil, now + info.usage.regainAccessMs);
    }
    if (info.throttledForMs === undefined) {
      if (info.usage === undefined || info.usage.peakPercent < 100) this.strikes = 0;
    } else {
      this.strikes += 1;
      const hinted = info.throttledForMs > 0 ? info.throttledForMs : retryDelayMs(this.strikes, this.options.unitMs);
      this.blockedUntil = Math.max(this.blockedUntil, now + hinted);
    }
    return this.blockedUntil > before.blockedUntil || this.slow(now) !== before.slow || (before.strikes > 0 && this.strikes === 0);
  }

  /** What this gate knows, as the shared brake `key` stores it. */
  shared(key: string): BrakeState {
    return { key, blockedUntil: this.blockedUntil, strikes: this.strikes, peakPercent: this.peakPercent, usageAt: Number.isFinite(this.usageSeenAt) ? this.usageSeenAt : 0 };
  }

  /** Takes in what another worker saw (the shared brake as stored): the later block, the newer usage reading, the larger strike count. */
  learn(state: BrakeState): void {
    this.blockedUntil = Math.max(this.blockedUntil, state.blockedUntil);
    if (state.usageAt > this.usageSeenAt) {
      this.peakPercent = state.peakPercent;
      this.usageSeenAt = state.usageAt;
    }
    this.strikes = Math.max(this.strikes, state.strikes);
  }

  /** Whether a fresh usage reading at or above the slowdown line slows calls down at `now`. */
  private slow(now: number): boolean {
    return now - this.usageSeenAt < USAGE_FRESH_UNITS * this.options.unitMs && this.peakPercent >= SLOWDOWN_PERCENT;
  }

  /** How long a call of this priority must wait now, jitter included. */
  delayFor(priority: CallPriority): number {
    const { clock, unitMs } = this.options;
    const now = clock.now();
    const jitter = () => Math.floor(this.random() * unitMs);
    if (this.blockedUntil > now) return this.blockedUntil - now + AFTER_BLOCK_UNITS[priority] * unitMs + jitter();
    if (this.slow(now) && PRESSURE_UNITS[priority] > 0) return PRESSURE_UNITS[priority] * unitMs + jitter();
    return 0;
  }

  /** Emits once the call may go (at once when nothing holds it back); re-checks after each wait. */
  admit(priority: CallPriority): Observable<void> {
    return defer(() => {
      const delay = this.delayFor(priority);
      if (delay <= 0) return of(undefined);
      // after a pressure wait, let the call through unless a block began meanwhile
      return timer(delay, this.options.clock).pipe(switchMap(() => (this.blockedUntil > this.options.clock.now() ? this.admit(priority) : of(undefined))));
    });
  }
}
