import type { Clock } from '../time/clock.js';
import type { FaultBook } from './fault-book.js';
import type { SimHooks } from './hooks.js';
import type { SimRecord } from './record.js';
import type { Scenario } from './scenario.js';
import type { World } from './world.js';

/** What the request pipelines (Graph and upload host) work with; the simulator owns all of it. */
export interface DispatchDeps {
  readonly world: World;
  readonly record: SimRecord;
  readonly faults: FaultBook;
  readonly hooks: SimHooks;
  readonly clock: Clock;
  readonly scenario: () => Scenario;
  /** Sim time the simulator started (throttle windows are relative to it). */
  readonly startedAt: number;
  readonly acceptAnyToken: boolean;
  readonly baseUrl: () => string;
  /** A real-time pause (the `slow` fault), cancelled when the simulator closes. */
  readonly delay: (ms: number) => Promise<void>;
}
