import { createHmac, timingSafeEqual } from 'node:crypto';

/** The headers of every webhook delivery (README, *Webhooks*). */
export const WEBHOOK_HEADERS = {
  /** `v1=<hex HMAC-SHA256 of "<timestamp>.<body>" under the secret>`. */
  signature: 'igflow-signature',
  /** When the delivery was signed: epoch milliseconds, as a decimal string. */
  timestamp: 'igflow-timestamp',
  /** The outbox entry delivered: the same outcome sent again carries the same id. */
  delivery: 'igflow-delivery',
} as const;

/** The signature header's value for a body sent at `timestamp` (epoch ms) under `secret`. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`, 'utf8').digest('hex')}`;
}

/** What {@link verifyWebhook} checks. */
export interface WebhookToVerify {
  readonly secret: string;
  /** The raw body, exactly as received (before any JSON parsing). */
  readonly body: string;
  /** The `igflow-signature` header. */
  readonly signature: string | undefined;
  /** The `igflow-timestamp` header. */
  readonly timestamp: string | undefined;
  /** Refuse deliveries signed longer ago than this (ms) from `now`; default 5 minutes. */
  readonly toleranceMs?: number;
  /** The receiver's time (epoch ms); default Date.now(). */
  readonly now?: number;
}

/**
 * Whether a delivery is igflow's: the signature is the HMAC-SHA256 of
 * `<timestamp>.<body>` under the secret (compared in constant time), and
 * the timestamp is within the tolerance of `now` (a replayed old delivery
 * is refused). For receivers written in JavaScript; README shows the same
 * in a few lines of any language.
 */
export function verifyWebhook(delivery: WebhookToVerify): boolean {
  const { signature, timestamp } = delivery;
  if (signature === undefined || timestamp === undefined || !/^\d{1,16}$/.test(timestamp)) return false;
  const sentAt = Number(timestamp);
  if (Math.abs((delivery.now ?? Date.now()) - sentAt) > (delivery.toleranceMs ?? 300_000)) return false;
  const expected = Buffer.from(signWebhook(delivery.secret, sentAt, delivery.body), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
