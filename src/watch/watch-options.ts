import { z } from 'zod';

/** The shortest watch token accepted: a bearer secret, not a password to remember. */
export const MIN_WATCH_TOKEN_LENGTH = 16;

/** The checked options of a watch server, apart from its store and clock. */
export const WatchSettings = z.object({
  host: z.string().min(1, 'the host is empty').default('127.0.0.1'),
  port: z.int('the port is a whole number').min(0).max(65_535).default(0),
  token: z.string().min(MIN_WATCH_TOKEN_LENGTH, `a watch token has at least ${MIN_WATCH_TOKEN_LENGTH} characters`).optional(),
  pollMs: z.int().min(20, 'pollMs is at least 20').max(60_000, 'pollMs is at most 60000').default(300),
});
/** See {@link WatchSettings}. */
export type WatchSettings = z.infer<typeof WatchSettings>;

/** Bad options for a watch server: what is wrong, without the token. */
export class WatchOptionsError extends Error {
  override readonly name = 'WatchOptionsError';
}

/** Whether a host name or address only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Checks a watch server's settings: a host other than loopback needs a
 * token (the view would be open to the network otherwise). Throws a
 * {@link WatchOptionsError} listing every problem.
 */
export function parseWatchSettings(input: z.input<typeof WatchSettings>): WatchSettings {
  const parsed = WatchSettings.safeParse(input);
  if (!parsed.success) throw new WatchOptionsError(parsed.error.issues.map((i) => i.message).join('; '));
  if (!isLoopback(parsed.data.host) && parsed.data.token === undefined) {
    throw new WatchOptionsError(`the watch view on ${parsed.data.host} would be open to the network: give a watch token (the page asks for it), or keep the default host 127.0.0.1`);
  }
  return parsed.data;
}
