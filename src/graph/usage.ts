import { z } from 'zod';

const Percent = z.coerce.number().catch(0);

const AppUsageHeader = z.object({
  call_count: Percent,
  total_time: Percent,
  total_cputime: Percent,
});

const BusinessUsageHeader = z.record(
  z.string(),
  z.array(
    z.object({
      type: z.string().catch('unknown'),
      call_count: Percent,
      total_time: Percent,
      total_cputime: Percent,
      estimated_time_to_regain_access: z.coerce.number().catch(0),
    }),
  ),
);

/** Platform usage from `X-App-Usage`: percentages of the hourly allowance. */
export interface AppUsage {
  readonly callCount: number;
  readonly totalTime: number;
  readonly totalCputime: number;
}

/** One business-use-case entry from `X-Business-Use-Case-Usage`. */
export interface BusinessUsage {
  readonly id: string;
  readonly type: string;
  readonly callCount: number;
  readonly totalTime: number;
  readonly totalCputime: number;
  /** `estimated_time_to_regain_access`, in minutes (0 when not throttled). */
  readonly regainAccessMinutes: number;
}

/** The rate-limit usage a Graph API answer reported in its headers. */
export interface Usage {
  readonly app: AppUsage | undefined;
  readonly business: readonly BusinessUsage[];
  /** The highest percentage in any of them: near 100 means throttling is close. */
  readonly peakPercent: number;
  /** How long until access is regained, when any entry says so. */
  readonly regainAccessMs: number | undefined;
}

/** Reads a header case-insensitively from undici's header record. */
export type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function parseJsonHeader<T>(raw: string | undefined, schema: z.ZodType<T>): T | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Parses `X-App-Usage` and `X-Business-Use-Case-Usage`
 * (docs/graph-api.md#usage-headers). Malformed headers are ignored, not
 * fatal. Undefined when the answer carried neither.
 */
export function parseUsage(headers: HeaderBag): Usage | undefined {
  const appRaw = parseJsonHeader(header(headers, 'x-app-usage'), AppUsageHeader);
  const businessRaw = parseJsonHeader(header(headers, 'x-business-use-case-usage'), BusinessUsageHeader);
  if (appRaw === undefined && businessRaw === undefined) return undefined;
  const app: AppUsage | undefined = appRaw && {
    callCount: appRaw.call_count,
    totalTime: appRaw.total_time,
    totalCputime: appRaw.total_cputime,
  };
  const business: BusinessUsage[] = Object.entries(businessRaw ?? {}).flatMap(([id, entries]) =>
    entries.map((e) => ({
      id,
      type: e.type,
      callCount: e.call_count,
      totalTime: e.total_time,
      totalCputime: e.total_cputime,
      regainAccessMinutes: e.estimated_time_to_regain_access,
    })),
  );
  const percents = [
    ...(app ? [app.callCount, app.totalTime, app.totalCputime] : []),
    ...business.flatMap((b) => [b.callCount, b.totalTime, b.totalCputime]),
  ];
  const regainMinutes = Math.max(0, ...business.map((b) => b.regainAccessMinutes));
  return {
    app,
    business,
    peakPercent: Math.max(0, ...percents),
    regainAccessMs: regainMinutes > 0 ? regainMinutes * 60_000 : undefined,
  };
}

/** Reads `Retry-After` (seconds or an HTTP date) as milliseconds from `now`. */
export function parseRetryAfter(headers: HeaderBag, now: number): number | undefined {
  const raw = header(headers, 'retry-after');
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
