import { z } from 'zod';
import type { Prng } from './prng.js';

const MsRange = z
  .tuple([z.number().min(0), z.number().min(0)])
  .refine(([min, max]) => min <= max, { message: 'range must be [min, max] with min <= max' });

/** A lognormal processing time: half the containers take less than `medianMs`; `sigma` is the spread of ln(ms). */
const LogNormal = z.strictObject({ medianMs: z.number().positive(), sigma: z.number().min(0) });

/**
 * How long containers of one kind process: a uniform `[min, max]` range in
 * ms (the simulator's default), or a lognormal `{ medianMs, sigma }`, the
 * shape real processing times take (a bulk near the median, a long slow
 * tail); the polling benchmark draws from it.
 */
export const ProcessingDraw = z.union([MsRange, LogNormal]);
/** See {@link ProcessingDraw}. */
export type ProcessingDraw = z.infer<typeof ProcessingDraw>;

/**
 * One processing time in whole ms, from the simulator's seeded PRNG. A range
 * takes one draw; a lognormal takes two (Box–Muller) and is
 * `medianMs × e^(sigma × z)` with z standard normal.
 */
export function drawProcessingMs(draw: ProcessingDraw, prng: Prng): number {
  if (Array.isArray(draw)) return prng.between(draw[0], draw[1]);
  const u1 = 1 - prng.next(); // (0, 1]: the log below is finite
  const u2 = prng.next();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.round(draw.medianMs * Math.exp(draw.sigma * z));
}
