import type { FaultBook } from './fault-book.js';
import { errorEnvelope, type GraphErrorSpec } from './envelope.js';
import type { Params } from './params.js';
import type { SimRecord } from './record.js';
import type { Route } from './route.js';
import type { Scenario } from './scenario.js';
import type { Account, World } from './world.js';

/** A JSON answer before any transport fault touches it. */
export interface Answer {
  readonly status: number;
  readonly json: unknown;
  /** Set when the answer is a Graph error. */
  readonly error?: { readonly code: number; readonly subcode: number | undefined };
  /** Extra headers (throttle usage headers). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What an endpoint handler gets: the world and one authenticated request. */
export interface HandlerContext {
  readonly world: World;
  readonly scenario: Scenario;
  readonly faults: FaultBook;
  readonly record: SimRecord;
  /** Sim time of the effect, epoch ms. */
  readonly now: number;
  readonly seq: number;
  readonly params: Params;
  readonly route: Route;
  readonly account: Account;
  /** A `quotaFull` rule fired for this request. */
  readonly quotaFull: boolean;
  /** Base URL for `paging.next` links. */
  readonly baseUrl: string;
  /** Base URL of the upload host, for the `uri` of a resumable create (see `uploadBase`). */
  readonly uploadBase: string;
  /** The token the request came with (a refresh needs it; never recorded). */
  readonly token: string;
}

/** A 200 answer. */
export function ok(json: unknown): Answer {
  return { status: 200, json };
}

/** A Graph error answer (HTTP 400 unless the spec says otherwise). */
export function fail(world: World, spec: GraphErrorSpec, headers?: Readonly<Record<string, string>>): Answer {
  return {
    status: spec.httpStatus ?? 400,
    json: errorEnvelope(spec, world.ids.traceId()),
    error: { code: spec.code, subcode: spec.subcode },
    ...(headers !== undefined ? { headers } : {}),
  };
}

/** The quota an account has: its own override, else the scenario's. */
export function quotaTotalOf(ctx: Pick<HandlerContext, 'account' | 'scenario'>): number {
  return ctx.account.quotaTotal ?? ctx.scenario.quotaTotal;
}
