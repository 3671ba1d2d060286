import type { RequestEndpoint } from './endpoints.js';
import type { FaultType } from './fault-schema.js';
import type { Params } from './params.js';
import type { Delivery } from './wire.js';

/** A request as hooks see it. `params` never holds the token. */
export interface SimRequestInfo {
  readonly seq: number;
  /** Sim time of arrival, epoch ms. */
  readonly at: number;
  readonly method: string;
  readonly path: string;
  readonly endpoint: RequestEndpoint;
  readonly params: Params;
  /** The IG user the request acts on, when known. */
  readonly account: string | undefined;
}

/** What the simulator did and is about to write. */
export interface SimOutcome {
  /** HTTP status about to be written; 0 when the socket will be destroyed instead. */
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** `answer`, or `reset` / `lost` when the socket is destroyed without one. */
  readonly delivery: Delivery;
  /** Whether the request's effect ran (a publish really published, say). */
  readonly effectApplied: boolean;
  readonly fault: FaultType | undefined;
}

/**
 * Test hooks. The simulator awaits each one, so a test can act at an exact
 * point (kill a client after the publish took effect but before it hears so).
 */
export interface SimHooks {
  /** Runs when a request arrives, before its effect. */
  onRequest?: ((req: SimRequestInfo) => void | Promise<void>) | undefined;
  /** Runs after the effect and before the answer is written (or the socket destroyed). */
  beforeRespond?: ((req: SimRequestInfo, outcome: SimOutcome) => void | Promise<void>) | undefined;
  /** Runs on the upload host after each chunk of a body is kept, with the bytes the container now has; the body waits for it. */
  onUploadBytes?: ((containerId: string, received: number) => void | Promise<void>) | undefined;
}
