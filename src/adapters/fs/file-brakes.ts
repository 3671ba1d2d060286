import { z } from 'zod';
import { mergeBrake } from '../slot-rules.js';
import type { BrakeBoard, BrakeState } from '../store.js';
import { writeFileVisible } from './atomic-file.js';
import { cachedJson } from './cached-json.js';
import type { FileStoreContext } from './store-context.js';

/** The schema of `brakes.json`: every brake, in one JSON array. */
export const BrakesFile = z.array(z.object({ key: z.string(), blockedUntil: z.number(), strikes: z.number(), peakPercent: z.number(), usageAt: z.number() }));

/**
 * The BrakeBoard of a file store: every brake in one small file,
 * `brakes.json`, raised under `brakes.lock` (read, merge, write to temp and
 * rename, no fsync), so processes sharing the directory share the brakes. It cannot
 * watch: engines read it again before their calls, which costs one `stat`
 * while nobody raised a brake (cached-json.ts: parsed again only once the
 * file was replaced). A damaged file reads as no brakes: Instagram says
 * so again at the next call. `close` lets go of the file it holds open.
 */
export function fileBrakes(ctx: FileStoreContext): BrakeBoard & { close(): Promise<void> } {
  const { layout } = ctx;
  const cache = cachedJson(layout.brakesFile, BrakesFile);
  const readAll = (): Promise<BrakeState[]> => new Promise((resolve) => resolve([...(cache.read() ?? [])]));
  return {
    raise(state) {
      return ctx.lockedFile(layout.brakesLockFile, '', async (assertLocked) => {
        const all = await readAll();
        const merged = mergeBrake(all.find((b) => b.key === state.key), state);
        // never fsynced: a brake matters only while workers run, and Instagram says it again after a power loss
        writeFileVisible(layout.brakesFile, JSON.stringify([...all.filter((b) => b.key !== state.key), merged]), assertLocked);
        return merged;
      });
    },
    read: () => readAll(),
    close: () => cache.close(),
  };
}
