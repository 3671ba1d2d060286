import { graphTimestamp } from './timestamp.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock, type Clock } from '../time/clock.js';
import { Dispatcher } from './dispatch.js';
import { FaultBook } from './fault-book.js';
import type { FaultRuleInput } from './fault-schema.js';
import type { SimHooks } from './hooks.js';
import { SimRecord } from './record.js';
import { mergeScenarioInput, parseScenario, type Scenario, type ScenarioInput } from './scenario.js';
import { statusAt, type StatusCode } from './container-status.js';
import { createPrng } from './prng.js';
import { World, type AccountOptions } from './world.js';

export type { AccountOptions } from './world.js';
export type { SimHooks, SimOutcome, SimRequestInfo } from './hooks.js';
export type { Scenario, ScenarioInput } from './scenario.js';
export type { Fault, FaultRule, FaultRuleInput, FaultType } from './fault-schema.js';
export type { Endpoint, MediaKind, RequestEndpoint } from './endpoints.js';
export type { StatusCode } from './container-status.js';
export type {
  ContainerOutcome,
  ContainerRecord,
  MediaRecord,
  ProductType,
  PublishRecord,
  RequestRecord,
  Violation,
  ViolationType,
} from './record.js';
export { SimRecord } from './record.js';
export type { UploadAttemptOutcome, UploadRecord, UploadRequestRecord } from './upload-record.js';
export { uploadedContentId } from './upload-record.js';
export type { PhaseStatus, VideoStatus } from './upload-progress.js';

/** The account a simulator serves when none are given. */
export const DEFAULT_ACCOUNT: AccountOptions = { igUserId: '17841400000000001', token: 'sim-token' };

/** Options of {@link startSimulator}. */
export interface SimulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Interface to bind (default 127.0.0.1). */
  readonly host?: string;
  /** The simulated world's time (default the system clock). */
  readonly clock?: Clock;
  /** How Instagram behaves (see `ScenarioSchema`). */
  readonly scenario?: ScenarioInput;
  /** Accounts and their tokens (default {@link DEFAULT_ACCOUNT}). */
  readonly accounts?: readonly AccountOptions[];
  /** Accept any non-empty token for any numeric IG user ID (the CLI demo without credentials). */
  readonly acceptAnyToken?: boolean;
}

/** A running Graph API simulator. */
export interface Simulator {
  /** Base URL, like `http://127.0.0.1:PORT` (paths go `/{vNN.0}/…` under it; the upload host is `/ig-api-upload/…` on it). */
  readonly url: string;
  readonly port: number;
  /** Everything Instagram saw, for assertions. */
  readonly record: SimRecord;
  /** Test hooks; assign `onRequest` / `beforeRespond` at any time. */
  readonly hooks: SimHooks;
  /** The scenario in force, validated. */
  readonly scenario: Scenario;
  /** Adds a fault rule now; returns the function that removes it. Throws on an invalid rule. */
  inject(rule: FaultRuleInput): () => void;
  /** Lays a partial scenario over the current one (new `faults` replace the scenario's rules). */
  setScenario(partial: ScenarioInput): void;
  /** A container's status right now on the sim clock, or undefined for an unknown ID. */
  statusOf(containerId: string): StatusCode | undefined;
  /** Makes a container expire now (its 24 h ran out early): the next read says EXPIRED. */
  expire(containerId: string): void;
  /** Gives an account one more valid token (an app rotating its token), expiring at `expiresAt` (default never). */
  issueToken(igUserId: string, token: string, options?: { readonly issuedAt?: number; readonly expiresAt?: number }): void;
  /** Adds a comment by someone else (a follower, `username`) to a published media, as if made on Instagram. */
  addComment(mediaId: string, comment: { readonly username: string; readonly text: string }): void;
  /** Stops listening and drops every connection, keep-alive ones included. */
  close(): Promise<void>;
}

/** Starts a simulator on loopback and resolves once it listens. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const clock = options.clock ?? systemClock;
  let input: ScenarioInput = options.scenario ?? {};
  let scenario = parseScenario(input);
  const record = new SimRecord();
  const world = new World(record, options.accounts ?? [DEFAULT_ACCOUNT], scenario.seed);
  const faults = new FaultBook();
  faults.setScenarioRules(scenario.faults);
  const hooks: SimHooks = {};
  const pauses = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let url = '';

  const dispatcher = new Dispatcher({
    world,
    record,
    faults,
    hooks,
    clock,
    scenario: () => scenario,
    startedAt: clock.now(),
    acceptAnyToken: options.acceptAnyToken ?? false,
    baseUrl: () => url,
    delay: (ms) =>
      new Promise<void>((resolve) => {
        const pause = {
          timer: setTimeout(() => {
            pauses.delete(pause);
            resolve();
          }, ms),
          resolve,
        };
        pauses.add(pause);
      }),
  });

  const server: Server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    void dispatcher.handle(req, res);
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  url = `http://${host}:${address.port}`;

  return {
    url,
    port: address.port,
    record,
    hooks,
    get scenario() {
      return scenario;
    },
    inject: (rule) => faults.inject(rule),
    setScenario(partial) {
      const nextInput = mergeScenarioInput(input, partial);
      const next = parseScenario(nextInput);
      input = nextInput;
      if (partial.seed !== undefined) world.prng = createPrng(next.seed);
      if (partial.faults !== undefined) faults.setScenarioRules(next.faults);
      scenario = next;
    },
    statusOf(containerId) {
      const container = world.containers.get(containerId);
      return container === undefined ? undefined : statusAt(container.rec, clock.now());
    },
    issueToken(igUserId, token, opts) {
      const account = world.accounts.get(igUserId);
      if (account === undefined) throw new Error(`no account ${igUserId}`);
      world.addToken(token, account, opts?.issuedAt ?? clock.now(), opts?.expiresAt ?? Infinity);
    },
    addComment(mediaId, comment) {
      if (!world.media.has(mediaId)) throw new Error(`no media ${mediaId}`);
      const now = clock.now();
      const made = { id: world.ids.commentId(), mediaId, account: undefined, username: comment.username, text: comment.text, at: now, timestamp: graphTimestamp(now), requestSeq: 0 };
      world.comments.set(mediaId, [...(world.comments.get(mediaId) ?? []), made]);
      record.comments.push(made);
    },
    expire(containerId) {
      const container = world.containers.get(containerId);
      if (container !== undefined) container.rec.expiresAt = Math.min(container.rec.expiresAt, clock.now());
    },
    close() {
      for (const pause of pauses) {
        clearTimeout(pause.timer);
        pause.resolve();
      }
      pauses.clear();
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
