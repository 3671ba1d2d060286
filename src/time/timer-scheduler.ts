import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';

/** Starts a one-shot timer and returns the function that cancels it. */
export type SetTimer = (fire: () => void, delayMs: number) => () => void;

/**
 * An RxJS action that runs its work once per `schedule()` call, on whatever
 * timer its scheduler provides. Rescheduling from inside the work (as
 * `interval` does) is supported; unsubscribing cancels the pending timer.
 */
class TimerAction<T> extends Subscription implements SchedulerAction<T> {
  private cancelTimer: (() => void) | undefined;

  constructor(
    private readonly setTimer: SetTimer,
    private readonly work: (this: SchedulerAction<T>, state?: T) => void,
  ) {
    super(() => this.cancel());
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    this.cancel();
    this.cancelTimer = this.setTimer(() => {
      this.cancelTimer = undefined;
      if (!this.closed) this.work.call(this, state);
    }, Math.max(0, delay));
    return this;
  }

  private cancel(): void {
    const cancel = this.cancelTimer;
    this.cancelTimer = undefined;
    cancel?.();
  }
}

/**
 * Builds an RxJS scheduler from a clock reading and a timer primitive: the
 * shared core of the virtual and the scaled clocks.
 */
export function timerScheduler(now: () => number, setTimer: SetTimer): SchedulerLike {
  return {
    now,
    schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
      return new TimerAction(setTimer, work).schedule(state, delay);
    },
  };
}
