import type { BrakeBoard, BrakeState } from '../adapters/store.js';
import type { RateGate } from '../effects/rate-gate.js';

/** The brake key of an account. */
export const accountBrakeKey = (igUserId: string): string => `account:${igUserId}`;
/** The brake key of the app (app-wide throttle codes 4 and 341). */
export const APP_BRAKE_KEY = 'app';

/** One engine's side of the store's shared brakes; see {@link sharedBrakes}. */
export interface SharedBrakes {
  /** Tells every worker what `gate` (the brake `key`) just learnt from an answer. Never rejects. */
  share(key: string, gate: RateGate): void;
  /** Resolves once this engine's gates hold what the store knows: at once while watching, after a read of the brakes otherwise. Never rejects. */
  fresh(): Promise<void>;
  /** Stops watching. */
  close(): Promise<void>;
}

const ignore = (): void => undefined;

/**
 * Connects an engine's rate gates to the store's {@link BrakeBoard}, so one
 * throttle answer seen by any worker brakes every worker of the account
 * (or of the app). Cheap on the hot path: a gate is written to the store
 * only when an answer changed what others should know (RateGate.observe
 * says so: a block, usage crossing the slowdown line, a block that ended),
 * and read from it by `watch` (PostgreSQL: NOTIFY, so others learn at
 * once, without a query before their calls), started with the first call
 * and after a missed notification re-read whole. A store that cannot
 * watch (the file store) is read before each call, one read at a time.
 * A store that fails leaves each worker with its own brake, as before.
 */
export function sharedBrakes(board: BrakeBoard, gateOf: (key: string) => RateGate | undefined): SharedBrakes {
  let watching: Promise<(() => Promise<void>) | undefined> | undefined;
  let reading: Promise<void> | undefined;
  let closed = false;

  const learn = (state: BrakeState): void => {
    gateOf(state.key)?.learn(state);
  };
  const readAll = (): Promise<void> => {
    reading ??= board
      .read()
      .then((states) => states.forEach(learn), ignore)
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
  const startWatching = (): Promise<(() => Promise<void>) | undefined> => {
    if (board.watch === undefined) return Promise.resolve(undefined);
    return board
      .watch((state) => {
        if (state === undefined) void readAll();
        else learn(state);
      })
      .then(async (stop) => {
        if (closed) {
          await stop();
          return undefined;
        }
        // a brake raised before this engine listened is read once
        await readAll();
        return stop;
      })
      .catch(() => undefined);
  };

  return {
    share(key, gate) {
      board.raise(gate.shared(key)).then(learn, ignore);
    },
    async fresh() {
      if (closed) return;
      watching ??= startWatching();
      const stop = await watching;
      if (stop === undefined) await readAll();
    },
    async close() {
      closed = true;
      const stop = await watching;
      await stop?.();
    },
  };
}
