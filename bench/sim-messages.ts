import type { RequestEndpoint } from '../src/sim/simulator.js';

/** What the simulator's record holds so far: requests per endpoint, publishes and violations. */
export interface SimCounts {
  readonly requests: Readonly<Partial<Record<RequestEndpoint, number>>>;
  readonly totalRequests: number;
  readonly publishes: number;
  readonly violations: number;
}

/** Messages the bench sends to the simulator process. */
export type ToSim = { readonly type: 'counts' } | { readonly type: 'close' };

/** Messages the simulator process sends back. */
export type FromSim = { readonly type: 'ready'; readonly url: string } | { readonly type: 'counts'; readonly counts: SimCounts };

/** Requests, publishes and violations made between two readings of the record. */
export function countsBetween(before: SimCounts, after: SimCounts): SimCounts {
  const requests: Partial<Record<RequestEndpoint, number>> = {};
  for (const [endpoint, n] of Object.entries(after.requests) as [RequestEndpoint, number][]) {
    const delta = n - (before.requests[endpoint] ?? 0);
    if (delta !== 0) requests[endpoint] = delta;
  }
  return {
    requests,
    totalRequests: after.totalRequests - before.totalRequests,
    publishes: after.publishes - before.publishes,
    violations: after.violations - before.violations,
  };
}
