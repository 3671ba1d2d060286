import { Agent, type Dispatcher } from 'undici';
import type { Clock } from '../time/clock.js';
import { signWebhook, WEBHOOK_HEADERS } from './webhook-signature.js';

/** The answer to one delivery attempt: delivered (2xx), or why not, in words without the URL or the secret. */
export type SendResult = { readonly ok: true; readonly status: number } | { readonly ok: false; readonly why: string };

/** POSTs signed bodies to one URL. */
export interface WebhookSender {
  send(deliveryId: string, body: string): Promise<SendResult>;
  close(): Promise<void>;
}

/** An error's code (ECONNRESET…) or class: never its message, which may quote the URL. */
const failureOf = (error: unknown): string => {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'a failure';
};

/**
 * A {@link WebhookSender} on undici: one Agent, the body signed at the
 * engine's clock, the attempt aborted after `timeoutMs` on that clock
 * (and by undici's own timeouts, in real time, as a backstop). Only a 2xx
 * counts as delivered; the answer's body is read and dropped. A
 * `dispatcher` given is used instead of the Agent (and not closed).
 */
export function webhookSender(url: string, secret: string, timeoutMs: number, clock: Clock, dispatcher?: Dispatcher): WebhookSender {
  const own = dispatcher === undefined ? new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 10_000 }) : undefined;
  const agent: Dispatcher = dispatcher ?? own!;
  const target = new URL(url);
  return {
    async send(deliveryId, body) {
      const timestamp = clock.now();
      const abort = new AbortController();
      const timer = clock.schedule(() => abort.abort(), timeoutMs);
      try {
        const response = await agent.request({
          origin: target.origin,
          path: `${target.pathname}${target.search}`,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'igflow-webhook',
            [WEBHOOK_HEADERS.signature]: signWebhook(secret, timestamp, body),
            [WEBHOOK_HEADERS.timestamp]: String(timestamp),
            [WEBHOOK_HEADERS.delivery]: deliveryId,
          },
          body,
          signal: abort.signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        await response.body.dump();
        if (response.statusCode >= 200 && response.statusCode < 300) return { ok: true, status: response.statusCode };
        return { ok: false, why: `HTTP ${response.statusCode}` };
      } catch (error) {
        return { ok: false, why: abort.signal.aborted ? `no answer within ${timeoutMs} ms` : failureOf(error) };
      } finally {
        timer.unsubscribe();
      }
    },
    close: async () => {
      await own?.close();
    },
  };
}
