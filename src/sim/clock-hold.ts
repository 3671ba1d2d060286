import type { Clock } from '../time/clock.js';

interface Holdable {
  hold(): () => void;
}

function isHoldable(clock: Clock): clock is Clock & Holdable {
  return typeof (clock as Partial<Holdable>).hold === 'function';
}

const noop = (): void => undefined;

/**
 * Marks a clock busy while the simulator works on a request, when the clock
 * supports it (a `VirtualClock`: its `run()` then does not jump time while
 * a request is half handled). Returns the release function.
 */
export function holdClock(clock: Clock): () => void {
  return isHoldable(clock) ? clock.hold() : noop;
}
