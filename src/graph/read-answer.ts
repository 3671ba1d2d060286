import type { z } from 'zod';
import type { Classifier } from './classify.js';
import type { GraphStep } from './error-class.js';
import { GraphError } from './graph-error.js';
import { ErrorEnvelope } from './schemas.js';
import { TransportError } from './transport-error.js';
import type { TransportAnswer } from './transport.js';
import { parseRetryAfter, parseUsage, type Usage } from './usage.js';

/** What {@link readAnswer} needs besides the answer. */
export interface AnswerContext {
  readonly step: GraphStep;
  readonly classifier: Classifier;
  readonly redact: (text: string) => string;
  readonly now: () => number;
}

const toNumber = (value: string | number | undefined): number | undefined => {
  if (typeof value === 'number') return value;
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
};

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

function toGraphError(envelope: ErrorEnvelope, answer: TransportAnswer, usage: Usage | undefined, ctx: AnswerContext): GraphError {
  const e = envelope.error;
  const code = toNumber(e.code);
  const subcode = toNumber(e.error_subcode);
  const { errorClass, baseClass, entry, remedy } = ctx.classifier.classify({ code, subcode, httpStatus: answer.status, step: ctx.step });
  const throttled = baseClass === 'throttled';
  const hinted = parseRetryAfter(answer.headers, ctx.now());
  const retryAfterMs = (throttled ? (usage?.regainAccessMs ?? hinted) : hinted) ?? entry?.minBackoffMs;
  const clean = (text: string | undefined) => (text === undefined ? undefined : ctx.redact(text));
  return new GraphError({
    code: code ?? 0,
    codeName: typeof e.code === 'string' && code === undefined ? clean(e.code) : undefined,
    subcode,
    type: clean(e.type),
    message: ctx.redact(e.message),
    userTitle: clean(e.error_user_title),
    userMessage: clean(e.error_user_msg),
    fbtraceId: clean(e.fbtrace_id),
    isTransient: e.is_transient,
    httpStatus: answer.status,
    step: ctx.step,
    errorClass,
    remedy,
    retryAfterMs,
    throttled,
    maxAttempts: entry?.maxAttempts,
    usage,
  });
}

const preview = (text: string, redact: (t: string) => string) =>
  JSON.stringify(redact(text.length > 80 ? `${text.slice(0, 80)}…` : text));

/**
 * Turns one HTTP answer into typed data or a typed error: a 2xx JSON body
 * that fits `schema` is the data; a Graph error envelope (whatever the
 * status) is a {@link GraphError}; anything else (HTML pages, empty,
 * truncated or misshapen bodies) is a {@link TransportError}. Never throws
 * anything else.
 */
export function readAnswer<S extends z.ZodType>(answer: TransportAnswer, schema: S, ctx: AnswerContext): { data: z.output<S>; usage: Usage | undefined } {
  const usage = parseUsage(answer.headers);
  const json = answer.text.trim() === '' ? { ok: false as const } : parseJson(answer.text);
  const ok = answer.status >= 200 && answer.status < 300;
  if (json.ok) {
    const envelope = ErrorEnvelope.safeParse(json.value);
    if (envelope.success) throw toGraphError(envelope.data, answer, usage, ctx);
    if (ok) {
      const parsed = schema.safeParse(json.value);
      if (parsed.success) return { data: parsed.data, usage };
      const where = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new TransportError({ failure: 'malformed-body', reached: 'yes', step: ctx.step, httpStatus: answer.status, detail: `unexpected answer shape (${where})` });
    }
  }
  const what = answer.text.trim() === '' ? 'empty body' : json.ok ? `unexpected body ${preview(answer.text, ctx.redact)}` : `body is not JSON: ${preview(answer.text, ctx.redact)}`;
  throw new TransportError({
    failure: ok ? 'malformed-body' : 'http-status',
    reached: 'yes',
    step: ctx.step,
    httpStatus: answer.status,
    detail: what,
  });
}
