import type { Store } from '../adapters/store.js';
import { createEngine, type Engine } from '../engine/engine.js';
import type { CliOptions } from './args.js';
import type { Credentials } from './credentials.js';
import type { Reporter } from './report/reporter.js';

/** The engine a `publish` or `resume` command runs, wired to the reporter. */
export function engineForCli(store: Store, credentials: Credentials, options: CliOptions, reporter: Reporter): Engine {
  const engine = createEngine({
    store,
    graph: {
      accessToken: credentials.accessToken,
      igUserId: credentials.igUserId,
      ...(options['graph-url'] === undefined ? {} : { baseUrl: options['graph-url'] }),
      ...(options['api-version'] === undefined ? {} : { apiVersion: options['api-version'] }),
      ...(options.login === undefined ? {} : { login: options.login }),
    },
    ...(options['poll-interval'] === undefined ? {} : { pollIntervalMs: options['poll-interval'] }),
    ...(options.lease === undefined ? {} : { leaseMs: options.lease }),
  });
  engine.events$.subscribe((event) => reporter.event(event));
  return engine;
}
