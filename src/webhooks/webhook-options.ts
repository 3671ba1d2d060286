import { z } from 'zod';

/** The shortest webhook secret accepted, by the engine and by `igflow work --webhook`. */
export const WEBHOOK_SECRET_MIN = 16;

/** The engine's `webhook` option: where and how the outcomes of the store's posts are delivered. */
export const WebhookOptions = z.object({
  /** Where every outcome is POSTed (http or https). */
  url: z.url({ protocol: /^https?$/, error: 'webhook.url must be an http(s) URL' }),
  /** The HMAC-SHA256 key of the `igflow-signature` header; never sent, never logged. */
  secret: z.string().min(WEBHOOK_SECRET_MIN, `webhook.secret must be at least ${WEBHOOK_SECRET_MIN} characters`),
  /** How long one delivery may take before it counts as failed (ms). Default 10,000. */
  timeoutMs: z.number().int().positive().default(10_000),
  /** The wait after the first failure (ms); it doubles with every failure after. Default 1,000. */
  firstRetryMs: z.number().int().positive().default(1_000),
  /** The longest wait between attempts (ms). Default one hour. */
  maxRetryMs: z.number().int().positive().default(3_600_000),
  /** How many deliveries are in flight at once. Default 8. */
  concurrency: z.number().int().positive().default(8),
  /** How often the store is looked at when nothing announced an outcome (ms). Default 5,000. */
  idleMs: z.number().int().positive().default(5_000),
  /** How long a delivered outcome stays in the store's outbox after its post finished (ms); undelivered ones always stay. Default 7 days. */
  retentionMs: z.number().int().positive().default(7 * 24 * 3_600_000),
});
/** What the option takes (defaults filled in by the engine). */
export type WebhookOptionsInput = z.input<typeof WebhookOptions>;
/** The option with its defaults. */
export type WebhookSettings = z.infer<typeof WebhookOptions>;

/** The wait before attempt `failed + 1` after `failed` failures: firstRetryMs × 2^(failed−1), at most maxRetryMs. */
export function retryDelayMs(settings: Pick<WebhookSettings, 'firstRetryMs' | 'maxRetryMs'>, failed: number): number {
  return Math.min(settings.maxRetryMs, settings.firstRetryMs * 2 ** Math.max(0, Math.min(failed - 1, 40)));
}
