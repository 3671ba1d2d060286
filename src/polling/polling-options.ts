import type { PollHistory } from './poll-history.js';

/** How an engine polls containers: the options {@link EngineOptions} takes for it. */
export interface PollingOptions {
  /**
   * `'adaptive'` (default): the seed's schedule until the engine has seen
   * a few containers of an account and kind finish, then reads placed where
   * they are likely to have finished (`adaptiveTiming`). `'seed'`: the
   * seed's unit × N schedule always (`standardTiming`).
   */
  readonly polling?: 'adaptive' | 'seed';
  /**
   * The processing times the engine learns from and adds to (default: a
   * new, empty one). An app may share one between engines, or keep its
   * `snapshot()` and hand `PollHistory.restore(…)` to the next run so a
   * restart does not start from the seed's schedule again.
   */
  readonly pollHistory?: PollHistory;
}
