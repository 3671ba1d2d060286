import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_INSPECTOR_URL } from '../engine/stately-inspector.js';
import { CliError, ExitCode } from './exit-codes.js';

const Options = z.object({
  store: z.string().min(1).default('./.igflow'),
  'graph-url': z.url({ protocol: /^https?$/, error: '--graph-url must be an http(s) URL' }).optional(),
  'upload-url': z.url({ protocol: /^https?$/, error: '--upload-url must be an http(s) URL' }).optional(),
  'api-version': z.string().regex(/^v\d+\.\d+$/, '--api-version looks like v25.0').optional(),
  login: z.enum(['instagram', 'facebook'], { error: '--login is instagram or facebook' }).optional(),
  'poll-interval': z.coerce
    .number({ error: '--poll-interval is a number of milliseconds' })
    .int('--poll-interval is a whole number of milliseconds')
    .min(1, '--poll-interval must be at least 1 ms')
    .max(60_000, '--poll-interval must be at most 60000 ms (one minute; Meta advises one poll a minute)')
    .optional(),
  'max-wait': z.coerce
    .number({ error: '--max-wait is a number of milliseconds' })
    .int('--max-wait is a whole number of milliseconds')
    .min(0, '--max-wait must be >= 0')
    .max(10 * 365 * 86_400_000, '--max-wait must be at most ten years')
    .default(300_000),
  'request-timeout': z.coerce
    .number({ error: '--request-timeout is a number of milliseconds' })
    .int('--request-timeout is a whole number of milliseconds')
    .min(100, '--request-timeout must be at least 100 ms')
    .max(600_000, '--request-timeout must be at most 600000 ms')
    .optional(),
  json: z.boolean().default(false),
  'no-media-checks': z.boolean().default(false),
  port: z.coerce.number({ error: '--port is a number' }).int().min(0).max(65_535).default(0),
  concurrency: z.coerce.number({ error: '--concurrency is a number' }).int().positive('--concurrency must be > 0').default(16),
  'container-budget': z.coerce.number({ error: '--container-budget is a number of containers' }).int().positive('--container-budget must be > 0').optional(),
  lease: z.coerce.number({ error: '--lease is a number of milliseconds' }).int().min(1_000, '--lease must be at least 1000 ms').optional(),
  inspect: z.url({ protocol: /^wss?$/, error: '--inspect takes a ws:// or wss:// URL (the Stately inspector server)' }).optional(),
  host: z.string().min(1, '--host names a host or an address').optional(),
  'watch-token': z.string().optional(),
  webhook: z.url({ protocol: /^https?$/, error: '--webhook must be an http(s) URL' }).optional(),
  'webhook-retry': z.coerce.number({ error: '--webhook-retry is a number of milliseconds' }).int().min(1, '--webhook-retry must be at least 1 ms').max(3_600_000).optional(),
  'webhook-timeout': z.coerce.number({ error: '--webhook-timeout is a number of milliseconds' }).int().min(100, '--webhook-timeout must be at least 100 ms').max(600_000).optional(),
  'webhook-retention': z.coerce.number({ error: '--webhook-retention is a number of milliseconds' }).int().min(60_000, '--webhook-retention must be at least 60000 ms').optional(),
  state: z.string().min(1, '--state names a state (scheduled, ready, published, cancelled…)').optional(),
  account: z.string().min(1, '--account names an IG user id').optional(),
  key: z.string().min(1, "--key names a post's id").optional(),
  from: z.iso.datetime({ offset: true, error: '--from is an ISO-8601 time (2026-01-01T09:00:00Z)' }).optional(),
  to: z.iso.datetime({ offset: true, error: '--to is an ISO-8601 time (2026-01-01T09:00:00Z)' }).optional(),
  help: z.boolean().default(false),
});

/** The flags of every command, checked. */
export type CliOptions = z.infer<typeof Options>;

/** A parsed command line. */
export interface CommandLine {
  readonly command: string | undefined;
  readonly positionals: readonly string[];
  readonly options: CliOptions;
}

/** Which flags each command takes. */
const allowed: Readonly<Record<string, readonly string[]>> = {
  publish: ['store', 'graph-url', 'upload-url', 'api-version', 'login', 'poll-interval', 'max-wait', 'request-timeout', 'json', 'no-media-checks', 'inspect'],
  resume: ['store', 'graph-url', 'upload-url', 'api-version', 'login', 'poll-interval', 'max-wait', 'request-timeout', 'json', 'no-media-checks', 'inspect'],
  status: ['store', 'json', 'state', 'account', 'key', 'from', 'to'],
  cancel: ['store', 'json'],
  reschedule: ['store', 'json'],
  simulate: ['port'],
  watch: ['store', 'port', 'host', 'watch-token'],
  work: ['store', 'graph-url', 'upload-url', 'api-version', 'login', 'poll-interval', 'request-timeout', 'json', 'concurrency', 'lease', 'container-budget', 'no-media-checks', 'inspect', 'webhook', 'webhook-retry', 'webhook-timeout', 'webhook-retention'],
};

/**
 * `--inspect` takes its URL only when one follows (`--inspect ws://…` or
 * `--inspect=ws://…`); alone it means {@link DEFAULT_INSPECTOR_URL}, and
 * the word after it stays a positional (`--inspect spec.json`).
 */
function withInspectUrl(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg !== '--inspect') {
      out.push(arg);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && /^wss?:\/\//i.test(next)) {
      out.push(`--inspect=${next}`);
      i++;
    } else {
      out.push(`--inspect=${DEFAULT_INSPECTOR_URL}`);
    }
  }
  return out;
}

/** Parses argv (without node and the script): unknown or misspelt flags are a usage error (exit 2). */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args: withInspectUrl(argv),
      allowPositionals: true,
      strict: true,
      options: {
        store: { type: 'string' },
        'graph-url': { type: 'string' },
        webhook: { type: 'string' },
        'webhook-retry': { type: 'string' },
        'webhook-timeout': { type: 'string' },
        'webhook-retention': { type: 'string' },
        'upload-url': { type: 'string' },
        'api-version': { type: 'string' },
        login: { type: 'string' },
        'poll-interval': { type: 'string' },
        'max-wait': { type: 'string' },
        'request-timeout': { type: 'string' },
        json: { type: 'boolean' },
        'no-media-checks': { type: 'boolean' },
        port: { type: 'string' },
        concurrency: { type: 'string' },
        lease: { type: 'string' },
        'container-budget': { type: 'string' },
        inspect: { type: 'string' },
        host: { type: 'string' },
        'watch-token': { type: 'string' },
        state: { type: 'string' },
        account: { type: 'string' },
        key: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err), ExitCode.invalid, 'Run `igflow --help` for the usage.');
  }
  const [command, ...positionals] = parsed.positionals;
  const given = Object.keys(parsed.values).filter((k) => k !== 'help');
  const accepted = command === undefined ? [] : (allowed[command] ?? []);
  const stray = given.filter((flag) => !accepted.includes(flag));
  if (command !== undefined && allowed[command] !== undefined && stray.length > 0) {
    throw new CliError(`igflow ${command} does not take ${stray.map((f) => `--${f}`).join(', ')}`, ExitCode.invalid, 'Run `igflow --help` for the usage.');
  }
  const options = Options.safeParse(parsed.values);
  if (!options.success) {
    throw new CliError(options.error.issues.map((i) => i.message).join('; '), ExitCode.invalid, 'Run `igflow --help` for the usage.');
  }
  return { command, positionals, options: options.data };
}
