import type { Endpoint, RequestEndpoint } from '../src/sim/simulator.js';

/**
 * How the simulator process behaves; every field optional, `{}` being the
 * throughput setting: no processing delay, answers at once.
 */
export interface SimSetup {
  /** Image processing time, each drawn from [min, max] ms (default [0, 0]). */
  readonly imageMs?: readonly [number, number];
  /** Every request to an endpoint is answered this many ms late (a `slow` fault rule that always fires). */
  readonly delayMs?: Readonly<Partial<Record<Endpoint, number>>>;
}

/** What the simulator's record holds so far: requests per endpoint, publishes and violations. */
export interface SimCounts {
  readonly requests: Readonly<Partial<Record<RequestEndpoint, number>>>;
  readonly totalRequests: number;
  readonly publishes: number;
  readonly violations: number;
}

/** The record's sizes alone, cheap enough to ask for every few ms. */
export interface SimProgress {
  readonly totalRequests: number;
  readonly publishes: number;
}

/** The publishes of containers whose caption starts with a prefix: how many, and of how many distinct captions. */
export interface SimPublished {
  readonly publishes: number;
  readonly distinctCaptions: number;
}

/** Messages the bench sends to the simulator process. */
export type ToSim =
  | { readonly type: 'counts' }
  | { readonly type: 'progress' }
  | { readonly type: 'published'; readonly captionPrefix: string }
  | { readonly type: 'close' };

/** Messages the simulator process sends back. */
export type FromSim =
  | { readonly type: 'ready'; readonly url: string }
  | { readonly type: 'counts'; readonly counts: SimCounts }
  | { readonly type: 'progress'; readonly progress: SimProgress }
  | { readonly type: 'published'; readonly published: SimPublished };

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
