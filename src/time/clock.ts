import type { SchedulerLike } from 'rxjs';
import { longTimeout } from './long-timeout.js';
import { timerScheduler } from './timer-scheduler.js';

/**
 * The one source of time in igflow: an RxJS scheduler. `now()` reads the
 * time in epoch milliseconds and `schedule()` runs work after a delay. The
 * engine, the effects and the simulator all take one, so a test can swap in
 * a {@link VirtualClock} and run a day of backoff in milliseconds.
 */
export type Clock = SchedulerLike;

/**
 * Wall-clock time: `Date.now()` and real timers. The default everywhere.
 * Timers of any length work (a post scheduled months ahead): delays past
 * what `setTimeout` holds are waited out in chunks.
 */
export const systemClock: Clock = timerScheduler(() => Date.now(), longTimeout);
