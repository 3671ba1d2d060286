import { z } from 'zod';
import { ENDPOINTS } from './endpoints.js';

/** A repeat count: a positive integer or `Infinity`. */
const Times = z.union([z.number().int().min(1), z.literal(Infinity)]);

/** Throttle codes Meta documents ([RL], docs/graph-api.md#throttle-codes). */
export const ThrottleCodeSchema = z.union([
  z.literal(4),
  z.literal(17),
  z.literal(32),
  z.literal(613),
  z.literal(80002),
]);

/** How an ERROR container spells its `status` (docs/graph-api.md#reading-the-status-text). */
export const StatusFormSchema = z.enum(['prose', 'bare', 'empty-code']);

/**
 * `applyEffect` on a transport fault overrides whether the request still takes
 * effect (a 500 that published anyway, say). Defaults: `http500`, `html502`
 * and `reset` do not apply the effect; `empty`, `truncated` and `garbage` do
 * (a 200 means the server did the work). `slow` and `lostResponse` always do.
 */
const applyEffect = { applyEffect: z.boolean().optional() };

/** The faults a rule can apply. */
export const FaultSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('http500'), ...applyEffect }),
  z.object({ type: z.literal('html502'), ...applyEffect }),
  z.object({ type: z.literal('empty'), ...applyEffect }),
  z.object({ type: z.literal('truncated'), ...applyEffect }),
  z.object({ type: z.literal('garbage'), ...applyEffect }),
  z.object({ type: z.literal('reset'), ...applyEffect }),
  z.object({ type: z.literal('slow'), delayMs: z.number().int().min(0) }),
  z.object({ type: z.literal('lostResponse') }),
  z.object({
    type: z.literal('graphError'),
    code: z.number().int(),
    subcode: z.number().int().optional(),
    message: z.string().optional(),
    isTransient: z.boolean().optional(),
    httpStatus: z.number().int().min(400).max(599).optional(),
    /** Apply the effect anyway (docs/graph-api.md#what-can-hide-a-publish: Postiz saw 4 / 2207051 while the post went live). Default false. */
    applyEffect: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('throttle'),
    code: ThrottleCodeSchema,
    /** `estimated_time_to_regain_access` in the usage headers (default 5). */
    regainAfterMinutes: z.number().min(0).optional(),
    /**
     * Keep the block, as Instagram does: every request of the account (of
     * every account, for the app-wide codes 4 and 341) is refused with the
     * same throttle until `regainAfterMinutes` have passed. Default false:
     * only the matched requests are refused.
     */
    hold: z.boolean().optional(),
  }),
  z.object({ type: z.literal('quotaFull') }),
  /** The container ends in ERROR with `subcode`, or a generic ERROR (no subcode) when `generic` or no subcode is given. */
  z.object({
    type: z.literal('containerError'),
    subcode: z.number().int().optional(),
    generic: z.boolean().optional(),
    statusForm: StatusFormSchema.optional(),
  }),
  z.object({ type: z.literal('expireEarly'), afterMs: z.number().min(0) }),
  z.object({ type: z.literal('processingMs'), ms: z.number().min(0) }),
  /** Upload host only: read `bytes` bytes of the body (kept, like any that arrive), then reset the socket; no answer. */
  z.object({ type: z.literal('resetAfterBytes'), bytes: z.number().int().min(0) }),
  /**
   * Upload host only: the `debug_info` failure envelope (docs/graph-api.md#resumable-upload).
   * `errorType` defaults to `ProcessingFailedError`, `retriable` to false,
   * `httpStatus` to 400. With `retriable: false` the session dies: later
   * uploads get the same failure and the container reads ERROR (2207053).
   * `applyEffect: true` reads and keeps the body first (default false: the body is drained, nothing kept).
   */
  z.object({
    type: z.literal('uploadError'),
    errorType: z.string().min(1).optional(),
    retriable: z.boolean().optional(),
    message: z.string().optional(),
    httpStatus: z.number().int().min(400).max(599).optional(),
    applyEffect: z.boolean().optional(),
  }),
]);

/** Faults that only make sense on the upload host. */
const UPLOAD_ONLY: ReadonlySet<string> = new Set(['resetAfterBytes', 'uploadError']);

/** Faults the upload host cannot apply: Graph throttles, the publishing quota, container outcomes (put those on `create`). */
const NOT_ON_UPLOAD: ReadonlySet<string> = new Set(['throttle', 'quotaFull', 'containerError', 'expireEarly', 'processingMs']);

/** A fault, validated. */
export type Fault = z.infer<typeof FaultSchema>;

/** The name of a fault. */
export type FaultType = Fault['type'];

/**
 * A fault rule: which requests it matches and the fault it applies. It fires
 * on matching requests number `nth` .. `nth + times - 1` (1-based). Container
 * outcome faults (`containerError`, `expireEarly`, `processingMs`) count the
 * containers actually created by matching `create` requests. On `upload`,
 * `kind`, `isCarouselItem` and `mediaType` match the target container's.
 */
export const FaultRuleSchema = z.object({
  endpoint: z.enum(ENDPOINTS),
  account: z.string().optional(),
  /** Creates and uploads only: the container kind. */
  kind: z.enum(['image', 'video', 'carousel']).optional(),
  /** Creates and uploads only: whether the container is a carousel item. */
  isCarouselItem: z.boolean().optional(),
  /** Creates and uploads only: the `media_type` parameter as sent (`IMAGE` when absent). */
  mediaType: z.string().optional(),
  nth: z.number().int().min(1).default(1),
  times: Times.default(1),
  fault: FaultSchema,
}).superRefine((rule, ctx) => {
  if (rule.endpoint !== 'upload' && UPLOAD_ONLY.has(rule.fault.type)) {
    ctx.addIssue({ code: 'custom', path: ['fault', 'type'], message: `${rule.fault.type} applies to the upload endpoint only` });
  }
  if (rule.endpoint === 'upload' && NOT_ON_UPLOAD.has(rule.fault.type)) {
    ctx.addIssue({ code: 'custom', path: ['fault', 'type'], message: `${rule.fault.type} does not apply to the upload endpoint` });
  }
});

/** A fault rule, validated (defaults filled in). */
export type FaultRule = z.infer<typeof FaultRuleSchema>;

/** A fault rule as a caller writes it. */
export type FaultRuleInput = z.input<typeof FaultRuleSchema>;

/** Faults that decide the answer of the request they match. */
export type ResponseFault = Exclude<Fault, { type: 'containerError' | 'expireEarly' | 'processingMs' }>;

/** Faults that decide how a created container ends up. */
export type OutcomeFault = Extract<Fault, { type: 'containerError' | 'expireEarly' | 'processingMs' }>;

/** Whether a fault decides a container's outcome rather than a request's answer. */
export function isOutcomeFault(fault: Fault): fault is OutcomeFault {
  return fault.type === 'containerError' || fault.type === 'expireEarly' || fault.type === 'processingMs';
}
