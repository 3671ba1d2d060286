import { asyncScheduler, type SchedulerLike } from 'rxjs';

/**
 * The one source of time in igflow: an RxJS scheduler. `now()` reads the
 * time in epoch milliseconds and `schedule()` runs work after a delay. The
 * engine, the effects and the simulator all take one, so a test can swap in
 * a {@link VirtualClock} and run a day of backoff in milliseconds.
 */
export type Clock = SchedulerLike;

/** Wall-clock time: `Date.now()` and real timers. The default everywhere. */
export const systemClock: Clock = asyncScheduler;
