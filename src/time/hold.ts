import type { Clock } from './clock.js';

interface Holdable {
  hold(): () => void;
}

function isHoldable(clock: Clock): clock is Clock & Holdable {
  return typeof (clock as Partial<Holdable>).hold === 'function';
}

const noop = (): void => undefined;

/**
 * Marks a clock busy while real work is under way (a request being handled,
 * a store write), when the clock supports it: a `VirtualClock`'s `run()`
 * then does not jump time while the work is half done. Returns the release
 * function; a no-op for clocks that cannot be held.
 */
export function holdClock(clock: Clock): () => void {
  return isHoldable(clock) ? clock.hold() : noop;
}
