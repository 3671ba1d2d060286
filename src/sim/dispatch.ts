import type { IncomingMessage, ServerResponse } from 'node:http';
import { fail, type Answer, type HandlerContext } from './answer.js';
import type { DispatchDeps } from './dispatch-deps.js';
import { shapeOf } from './create-rules.js';
import type { GraphEndpoint } from './endpoints.js';
import type { GraphErrorSpec } from './envelope.js';
import type { ResponseFault } from './fault-schema.js';
import { handleComment, handleCommentList } from './handle-comment.js';
import { handleCreate } from './handle-create.js';
import { handleRefresh } from './handle-refresh.js';
import { handleLimit } from './handle-limit.js';
import { handleMediaList } from './handle-media-list.js';
import { handlePublish } from './handle-publish.js';
import { handleStatus } from './handle-status.js';
import type { SimOutcome, SimRequestInfo } from './hooks.js';
import { parseParams, readBody, type ParsedParams } from './params.js';
import type { AnswerSummary, RequestRecord } from './record.js';
import { DEFAULT_VERSION, parseRoute, type Route } from './route.js';
import { UploadDispatcher } from './upload-dispatch.js';
import { uploadBase } from './upload-uri.js';
import type { Scenario } from './scenario.js';
import { simErrors } from './sim-errors.js';
import { fullUsage, usageFromCalls, usageHeaders } from './usage.js';
import { applyTransportFault, faultAppliesEffect, wireOf, type WireAnswer } from './wire.js';
import type { Account } from './world.js';
import { writeWire } from './write-wire.js';

const HANDLERS: Record<GraphEndpoint, (ctx: HandlerContext) => Answer> = {
  create: handleCreate,
  status: handleStatus,
  publish: handlePublish,
  limit: handleLimit,
  media: handleMediaList,
  stories: handleMediaList,
  comment: handleComment,
  comments: handleCommentList,
  refresh: handleRefresh,
};

/** Endpoints whose path starts at a container or media node rather than the user: the node's owner is the account. */
const NODE_ENDPOINTS: ReadonlySet<string> = new Set(['status', 'comment', 'comments']);

interface Decision {
  readonly wire: WireAnswer;
  readonly effectApplied: boolean;
  readonly fault: ResponseFault | undefined;
  /** For a throttle answer: until when the account is blocked. */
  readonly throttledUntil?: number;
}

/** What a client could read of an answer: the error's code and subcode, or a container's status (nothing for a body that is not JSON). */
function summarize(wire: WireAnswer, throttledUntil: number | undefined): AnswerSummary | undefined {
  if (wire.delivery !== 'answer' || !wire.body.startsWith('{')) return throttledUntil === undefined ? undefined : { throttledUntil };
  let json: { error?: { code?: unknown; error_subcode?: unknown }; status_code?: unknown };
  try {
    json = JSON.parse(wire.body) as typeof json;
  } catch {
    return throttledUntil === undefined ? undefined : { throttledUntil };
  }
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return {
    errorCode: num(json.error?.code),
    errorSubcode: num(json.error?.error_subcode),
    statusCode: typeof json.status_code === 'string' ? json.status_code : undefined,
    throttledUntil,
  };
}

type Auth = { readonly account: Account } | { readonly error: GraphErrorSpec };

/**
 * The per-request pipeline: parse, record, `onRequest`, then route check,
 * token check, throttles, fault rules, the endpoint's effect, transport
 * faults, `beforeRespond`, and the write. Upload-host requests go to the
 * {@link UploadDispatcher} instead, sharing the request sequence.
 */
export class Dispatcher {
  private seq = 0;
  private readonly uploads: UploadDispatcher;
  /** Blocks a `hold` throttle began, by account (`*`: the app's): until when, and with which code. */
  private readonly held = new Map<string, { readonly until: number; readonly code: Extract<ResponseFault, { type: 'throttle' }>['code'] }>();

  constructor(private readonly deps: DispatchDeps) {
    this.uploads = new UploadDispatcher(deps);
  }

  /** Handles one HTTP request to the end; never throws. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      await this.run(req, res);
    } catch (error) {
      const detail = error instanceof Error ? error.message : 'internal error';
      writeWire(res, wireOf(fail(this.deps.world, simErrors.unknownError(detail)), {}));
    }
  }

  private async run(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { clock, record, hooks } = this.deps;
    this.seq += 1;
    const seq = this.seq;
    const at = clock.now();
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const route = parseRoute(method, url.pathname);
    // The upload host streams its body: it never goes through readBody.
    if (route.endpoint === 'upload') return this.uploads.handle(req, res, route.id ?? '', url.pathname, seq, at);
    const body = await readBody(req);
    const parsed = parseParams(url.searchParams, body, req.headers['content-type'], req.headers.authorization);
    const account = this.accountIdOf(route, parsed.token);
    const entry: RequestRecord = {
      seq,
      at,
      method,
      path: url.pathname,
      endpoint: route.endpoint,
      account,
      params: parsed.params,
      status: 0,
      fault: undefined,
      ...(parsed.token === undefined || this.deps.world.clientOf(parsed.token) === undefined ? {} : { client: this.deps.world.clientOf(parsed.token) }),
    };
    record.requests.push(entry);
    const info: SimRequestInfo = { seq, at, method, path: url.pathname, endpoint: route.endpoint, params: parsed.params, account };
    if (hooks.onRequest !== undefined) await hooks.onRequest(info);

    const now = clock.now();
    if (parsed.tokenParamIn !== undefined) {
      record.addViolation('token-in-query', `access_token sent as a ${parsed.tokenParamIn} parameter`, now, seq);
    }
    const decision = this.decide(route, method, url.pathname, parsed, now, seq, req.headers.host);
    entry.status = decision.wire.status;
    entry.fault = decision.fault?.type;
    entry.answer = summarize(decision.wire, decision.throttledUntil);
    const outcome: SimOutcome = {
      status: decision.wire.status,
      headers: decision.wire.headers,
      body: decision.wire.body,
      delivery: decision.wire.delivery,
      effectApplied: decision.effectApplied,
      fault: decision.fault?.type,
    };
    if (decision.fault?.type === 'slow') {
      await this.deps.delay(decision.fault.delayMs);
    }
    if (hooks.beforeRespond !== undefined) await hooks.beforeRespond(info, outcome);
    writeWire(res, decision.wire);
  }

  private accountIdOf(route: Route, token: string | undefined): string | undefined {
    if (route.endpoint === 'refresh') return token === undefined ? undefined : this.deps.world.accountByToken(token)?.igUserId;
    if (route.id === undefined || route.endpoint === 'unknown') return undefined;
    return NODE_ENDPOINTS.has(route.endpoint) ? this.deps.world.ownerOf(route.id)?.igUserId : route.id;
  }

  private authenticate(route: Route, method: string, token: string | undefined, now: number): Auth {
    const { world, acceptAnyToken } = this.deps;
    if (token === undefined) return { error: simErrors.missingToken() };
    const tokenAccount = world.accountByToken(token);
    if (tokenAccount === undefined && !acceptAnyToken) return { error: simErrors.invalidToken() };
    if (now >= (world.tokenInfo(token)?.expiresAt ?? Infinity)) return { error: simErrors.tokenExpired() };
    // a refresh acts on the token's own account (an unknown token under acceptAnyToken has none to refresh)
    if (route.endpoint === 'refresh') return tokenAccount === undefined ? { error: simErrors.invalidToken() } : { account: tokenAccount };
    const id = route.id ?? '';
    const account =
      NODE_ENDPOINTS.has(route.endpoint) ? world.ownerOf(id) : acceptAnyToken ? world.ensureAccount(id) : world.accounts.get(id);
    if (account === undefined || (!acceptAnyToken && account !== tokenAccount)) {
      return { error: simErrors.noSuchObject(method, id) };
    }
    return { account };
  }

  private decide(route: Route, method: string, path: string, parsed: ParsedParams, now: number, seq: number, host: string | undefined): Decision {
    const { world, faults } = this.deps;
    const scenario = this.deps.scenario();
    const headers: Record<string, string> = {
      'x-fb-trace-id': world.ids.traceId(),
      'facebook-api-version': route.version ?? DEFAULT_VERSION,
    };
    const refuse = (spec: GraphErrorSpec, extra?: Record<string, string>): Decision => ({
      wire: wireOf(fail(world, spec), { ...headers, ...extra }),
      effectApplied: false,
      fault: undefined,
    });

    // `upload` never gets here (run hands it to the UploadDispatcher); the check narrows the type.
    if (route.endpoint === 'unknown' || route.endpoint === 'upload') return refuse(simErrors.unknownPath(`${method} ${path}`));
    if (parsed.bodyError !== undefined) return refuse(simErrors.invalidParam(parsed.bodyError));
    const auth = this.authenticate(route, method, parsed.token, now);
    if ('error' in auth) {
      const www = auth.error.code === 190 ? { 'www-authenticate': `OAuth "Facebook Platform" "invalid_token" "${auth.error.message}"` } : undefined;
      return refuse(auth.error, www);
    }
    const { account } = auth;

    const throttle = this.throttleCheck(account, now, scenario, headers);
    if (throttle !== undefined) return { ...refuse(simErrors.throttled(throttle.code), throttle.headers), throttledUntil: throttle.until };
    const block = [this.held.get(account.igUserId), this.held.get('*')].find((b) => b !== undefined && now < b.until);
    if (block !== undefined) {
      const usage = usageHeaders(account.igUserId, fullUsage((block.until - now) / 60_000));
      return { ...refuse(simErrors.throttled(block.code), usage), throttledUntil: block.until };
    }

    const shape = route.endpoint === 'create' ? shapeOf(parsed.params) : undefined;
    const fault = faults.responseFault({ endpoint: route.endpoint, account: account.igUserId, ...shape });
    if (fault?.type === 'throttle') {
      const regainMinutes = fault.regainAfterMinutes ?? 5;
      const usage = usageHeaders(account.igUserId, fullUsage(regainMinutes));
      const until = now + regainMinutes * 60_000;
      if (fault.hold === true) this.held.set(fault.code === 4 ? '*' : account.igUserId, { until, code: fault.code });
      return { ...refuse(simErrors.throttled(fault.code), usage), fault, throttledUntil: until };
    }
    const traceId = (): string => world.ids.traceId();
    if (fault !== undefined && !faultAppliesEffect(fault)) {
      return { wire: applyTransportFault(fault, undefined, headers, traceId), effectApplied: false, fault };
    }

    const ctx: HandlerContext = {
      world,
      scenario,
      faults,
      record: this.deps.record,
      now,
      seq,
      params: parsed.params,
      route,
      account,
      quotaFull: fault?.type === 'quotaFull',
      baseUrl: this.deps.baseUrl(),
      uploadBase: uploadBase(scenario.upload.baseUrl, host, this.deps.baseUrl()),
      token: parsed.token ?? '',
    };
    const answer = HANDLERS[route.endpoint](ctx);
    const wire = wireOf(answer, headers);
    if (fault === undefined) return { wire, effectApplied: true, fault };
    return { wire: applyTransportFault(fault, wire, headers, traceId), effectApplied: true, fault };
  }

  /**
   * Counts the call against the account's hourly budget (adding the usage
   * headers to `headers`) and says whether it is throttled: inside the
   * scenario's throttle window, or with the budget already used up
   * (docs/graph-api.md#backing-off: throttled calls still count, so hammering
   * lengthens the block).
   */
  private throttleCheck(
    account: Account,
    now: number,
    scenario: Scenario,
    headers: Record<string, string>,
  ): { code: number; headers: Record<string, string>; until: number } | undefined {
    let throttled: { code: number; headers: Record<string, string>; until: number } | undefined;
    if (scenario.usage !== undefined) {
      const budget = scenario.usage.callsPerHour;
      const before = account.calls.count(now);
      account.calls.push(now);
      const calls = before + 1;
      const regain = calls >= budget ? Math.ceil((account.calls.freesAt(budget, now) - now) / 60_000) : 0;
      Object.assign(headers, usageHeaders(account.igUserId, usageFromCalls(calls, budget, regain)));
      if (before >= budget) throttled = { code: 80002, headers: {}, until: account.calls.freesAt(budget, now) };
    }
    const window = scenario.throttleWindow;
    const elapsed = now - this.deps.startedAt;
    if (window !== undefined && elapsed >= window.fromMs && elapsed < window.untilMs) {
      const regain = Math.ceil((window.untilMs - elapsed) / 60_000);
      throttled = { code: window.code, headers: usageHeaders(account.igUserId, fullUsage(regain)), until: this.deps.startedAt + window.untilMs };
    }
    return throttled;
  }
}
