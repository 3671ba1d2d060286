import { WEBHOOK_SECRET_MIN, type WebhookOptionsInput } from '../webhooks/webhook-options.js';
import type { CliOptions } from './args.js';
import { CliError, ExitCode } from './exit-codes.js';


/**
 * `--webhook URL` (and `--webhook-retry`, `--webhook-timeout`, `--webhook-retention`) with its secret from IGFLOW_WEBHOOK_SECRET (never from
 * argv, where `ps` would show it). A URL without a secret, or a short one,
 * is a usage error (exit 2) found before the store is opened; the secret
 * is never echoed. Undefined without `--webhook`.
 */
export function webhookFromEnv(options: Pick<CliOptions, 'webhook' | 'webhook-retry' | 'webhook-timeout' | 'webhook-retention'>, env: NodeJS.ProcessEnv): WebhookOptionsInput | undefined {
  const url = options.webhook;
  if (url === undefined) return undefined;
  const secret = env.IGFLOW_WEBHOOK_SECRET ?? '';
  if (secret.length < WEBHOOK_SECRET_MIN) {
    throw new CliError(
      secret === '' ? '--webhook needs IGFLOW_WEBHOOK_SECRET, which is not set' : `IGFLOW_WEBHOOK_SECRET is too short (at least ${WEBHOOK_SECRET_MIN} characters; it is not shown)`,
      ExitCode.invalid,
      'Export the secret the receiver verifies signatures with, e.g. `export IGFLOW_WEBHOOK_SECRET=$(openssl rand -hex 32)`.',
    );
  }
  return {
    url,
    secret,
    ...(options['webhook-retry'] === undefined ? {} : { firstRetryMs: options['webhook-retry'] }),
    ...(options['webhook-timeout'] === undefined ? {} : { timeoutMs: options['webhook-timeout'] }),
    ...(options['webhook-retention'] === undefined ? {} : { retentionMs: options['webhook-retention'] }),
  };
}
