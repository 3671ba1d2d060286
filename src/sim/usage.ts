/** Percentages of an allowance used, as the usage headers report them. */
export interface UsageLevel {
  readonly callCount: number;
  readonly totalTime: number;
  readonly totalCputime: number;
  /** Minutes until access returns (0 when not throttled). */
  readonly regainMinutes: number;
}

/** Full usage: what a throttled answer reports. */
export function fullUsage(regainMinutes: number): UsageLevel {
  return { callCount: 100, totalTime: 100, totalCputime: 100, regainMinutes };
}

/**
 * Usage from calls in the rolling hour against a budget. The time and CPU
 * shares are a fixed fraction of the call share (the simulator spends no
 * real CPU per call worth reporting).
 */
export function usageFromCalls(calls: number, callsPerHour: number, regainMinutes: number): UsageLevel {
  const callCount = Math.floor((calls * 100) / callsPerHour);
  return {
    callCount,
    totalTime: Math.floor(callCount / 2),
    totalCputime: Math.floor(callCount / 4),
    regainMinutes,
  };
}

/**
 * `X-App-Usage` and `X-Business-Use-Case-Usage` (docs/graph-api.md#usage-headers, [RL]): JSON
 * strings; the BUC one is keyed by the IG user ID with `type: "instagram"`
 * and `estimated_time_to_regain_access` in minutes.
 */
export function usageHeaders(igUserId: string, level: UsageLevel): Record<string, string> {
  return {
    'x-app-usage': JSON.stringify({
      call_count: level.callCount,
      total_time: level.totalTime,
      total_cputime: level.totalCputime,
    }),
    'x-business-use-case-usage': JSON.stringify({
      [igUserId]: [
        {
          type: 'instagram',
          call_count: level.callCount,
          total_cputime: level.totalCputime,
          total_time: level.totalTime,
          estimated_time_to_regain_access: level.regainMinutes,
        },
      ],
    }),
  };
}
