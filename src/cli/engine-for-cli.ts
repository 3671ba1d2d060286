import type { Store } from '../adapters/store.js';
import type { WebhookOptionsInput } from '../webhooks/webhook-options.js';
import { createEngine, type Engine } from '../engine/engine.js';
import type { CliOptions } from './args.js';
import type { Credentials } from './credentials.js';
import type { Reporter } from './report/reporter.js';
import type { Foreground } from './see-through.js';
import { WaitBook } from './wait-book.js';

/** `--request-timeout`: the longest igflow waits to connect, for an answer's headers, and for its body. */
const requestTimeouts = (ms: number) => ({ connectMs: ms, headersMs: ms, bodyMs: ms });

/**
 * The engine a command runs, wired to the reporter, and how its posts are
 * seen through in the foreground (the waits are watched from the start, so
 * none announced while posts are taken up is missed).
 */
export function engineForCli(
  store: Store,
  credentials: Credentials,
  options: CliOptions,
  reporter: Reporter,
  webhook?: WebhookOptionsInput,
): { readonly engine: Engine; readonly foreground: Foreground } {
  const engine = createEngine({
    store,
    graph: {
      accessToken: credentials.accessToken,
      igUserId: credentials.igUserId,
      ...(options['graph-url'] === undefined ? {} : { baseUrl: options['graph-url'] }),
      ...(options['upload-url'] === undefined ? {} : { uploadUrl: options['upload-url'] }),
      ...(options['api-version'] === undefined ? {} : { apiVersion: options['api-version'] }),
      ...(options.login === undefined ? {} : { login: options.login }),
      ...(options['request-timeout'] === undefined ? {} : { timeouts: requestTimeouts(options['request-timeout']) }),
    },
    ...(options['poll-interval'] === undefined ? {} : { pollIntervalMs: options['poll-interval'] }),
    ...(options.lease === undefined ? {} : { leaseMs: options.lease }),
    ...(options['container-budget'] === undefined ? {} : { containerBudget: options['container-budget'] }),
    ...(options['no-media-checks'] ? { mediaChecks: false } : {}),
    // --inspect: the engine opens the connection and closes it on shutdown
    ...(options.inspect === undefined ? {} : { inspector: options.inspect }),
    // --webhook: the secret comes from the environment, never argv
    ...(webhook === undefined ? {} : { webhook }),
  });
  engine.events$.subscribe((event) => reporter.event(event));
  return { engine, foreground: { waits: new WaitBook(engine.events$), maxWaitMs: options['max-wait'] } };
}
