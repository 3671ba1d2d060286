import { z } from 'zod';
import { FaultRuleSchema, StatusFormSchema, ThrottleCodeSchema } from './fault-schema.js';
import { ProcessingDraw } from './processing-draw.js';

/** Processing times per container kind, each drawn from a [min, max] ms range or a lognormal `{ medianMs, sigma }`. */
export const ProcessingSchema = z.object({
  imageMs: ProcessingDraw.default([1_000, 3_000]),
  videoMs: ProcessingDraw.default([20_000, 120_000]),
  parentMs: ProcessingDraw.default([1_000, 3_000]),
});

/** The upload host (docs/graph-api.md#resumable-upload). */
export const UploadSchema = z.object({
  /** Base of the `uri` a resumable create answers (default: `http://` + the create request's Host header). */
  baseUrl: z.url().optional(),
  /** How long a `file_url` upload's simulated fetch takes on the sim clock (nothing is downloaded). */
  fileUrlFetchMs: z.number().min(0).default(0),
});

/**
 * How the simulated Instagram behaves. Every field has a default, so `{}` is
 * the plain world: no faults, no throttling, 100 publishes per 24 h.
 */
export const ScenarioSchema = z.object({
  /** Seed of the PRNG that draws processing times. */
  seed: z.number().int().default(1),
  processing: ProcessingSchema.prefault({}),
  /** Container lifetime (docs/graph-api.md#lifetime-and-the-container-cap: 24 h). */
  expireAfterMs: z.number().positive().default(86_400_000),
  /** Publishes per moving 24 h window (docs/graph-api.md#the-publishing-quota; Meta says 50 or 100). Per-account override in `accounts`. */
  quotaTotal: z.number().int().min(0).default(100),
  /** Container creations per moving 24 h (docs/graph-api.md#lifetime-and-the-container-cap: 400). */
  containerCap: z.number().int().min(0).default(400),
  /** How ERROR statuses read unless a `containerError` rule says otherwise. */
  statusForm: StatusFormSchema.default('prose'),
  /** Two status reads of one container closer than this are a `poll-too-fast` violation (0 = off). */
  pollFloorMs: z.number().min(0).default(0),
  /** Fault rules, matched in order. */
  faults: z.array(FaultRuleSchema).default([]),
  /** Every request between `fromMs` and `untilMs` after start (sim clock) is throttled. */
  throttleWindow: z
    .object({
      fromMs: z.number().min(0),
      untilMs: z.number().min(0),
      code: ThrottleCodeSchema.default(80002),
    })
    .optional(),
  /** The upload host's knobs. */
  upload: UploadSchema.prefault({}),
  /** Per-account call budget per rolling hour; drives the usage headers and code 80002. */
  usage: z.object({ callsPerHour: z.number().int().min(1) }).optional(),
});

/** A scenario, validated and with defaults filled in. */
export type Scenario = z.infer<typeof ScenarioSchema>;

/** A scenario as a caller writes it (everything optional). */
export type ScenarioInput = z.input<typeof ScenarioSchema>;

/** Validates a scenario; throws a ZodError listing every problem. */
export function parseScenario(input: ScenarioInput = {}): Scenario {
  return ScenarioSchema.parse(input);
}

/**
 * Lays `partial` over `base`: top-level keys replace, `processing` and
 * `upload` merge per key. Returns the combined input, not yet validated.
 */
export function mergeScenarioInput(base: ScenarioInput, partial: ScenarioInput): ScenarioInput {
  const merged: ScenarioInput = { ...base, ...partial };
  if (partial.processing !== undefined) merged.processing = { ...base.processing, ...partial.processing };
  if (partial.upload !== undefined) merged.upload = { ...base.upload, ...partial.upload };
  return merged;
}
