import type { Clock } from '../time/clock.js';

/** First and longest wait (ms, on the engine's clock) between tries while the store fails. */
export interface RetryMs {
  readonly first: number;
  readonly max: number;
}

/** The default backoff of a worker whose store fails: 0.25 s, doubling, at most 5 s. */
export const defaultStoreRetryMs: RetryMs = { first: 250, max: 5_000 };

/** `ms` for a person: `250 ms`, `1.5 s`. */
const duration = (ms: number): string => (ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(1)} s`);

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * A worker's view of its store being down: how long to wait before the
 * next try (doubling from `retry.first` up to `retry.max`), and one report
 * when the store stops answering and one when it answers again, however
 * many tries fail in between.
 */
export class StoreOutage {
  private since: number | undefined;
  private delay: number;
  private failures = 0;

  constructor(
    private readonly clock: Clock,
    private readonly retry: RetryMs,
    private readonly report: (message: string) => void,
  ) {
    this.delay = retry.first;
  }

  /** Whether the store is failing now (the last try failed). */
  get active(): boolean {
    return this.since !== undefined;
  }

  /** A try failed: reports the outage when it is the first, and returns how long to wait before the next try. */
  failed(error: unknown): number {
    this.failures += 1;
    if (this.since === undefined) {
      this.since = this.clock.now();
      this.delay = this.retry.first;
      this.report(`store unreachable: ${messageOf(error)}; retrying in ${duration(this.delay)}, backing off to every ${duration(this.retry.max)}, until it answers`);
      return this.delay;
    }
    this.delay = Math.min(this.delay * 2, this.retry.max);
    return this.delay;
  }

  /** A try succeeded: reports the recovery when the store was failing. */
  answered(): void {
    if (this.since === undefined) return;
    const downMs = this.clock.now() - this.since;
    this.report(`store reachable again after ${duration(downMs)} (${this.failures} failed ${this.failures === 1 ? 'try' : 'tries'}); carrying on`);
    this.since = undefined;
    this.failures = 0;
  }
}
