import type { Clock } from './clock.js';
import { timerScheduler } from './timer-scheduler.js';

/**
 * A clock that runs `factor` times faster than the wall clock, starting from
 * the real time at creation. The demo uses it so minutes of simulated video
 * processing and poll backoff play out in seconds, with real timers.
 */
export function scaledClock(factor: number, start = Date.now()): Clock {
  if (!(factor > 0)) throw new RangeError(`scaledClock: factor must be > 0, got ${factor}`);
  return timerScheduler(
    () => start + (Date.now() - start) * factor,
    (fire, delayMs) => {
      const handle = setTimeout(fire, delayMs / factor);
      return () => clearTimeout(handle);
    },
  );
}
