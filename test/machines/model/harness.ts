import { createActor, type AnyActorLogic, type AnyActorRef, type InspectionEvent } from 'xstate';
import { createGraphClient, type GraphClient } from '../../../src/graph/client.js';
import type { ContainerParams } from '../../../src/spec/graph-container-params.js';
import { provideEffects, type ProvidedMachines } from '../../../src/effects/provide-effects.js';
import { decideSlot } from '../../../src/adapters/slot-rules.js';
import { QuotaGate, type PublishEntry } from '../../../src/effects/quota-gate.js';
import { CONTAINER_LIFETIME_MS, DEFAULT_PROCESSING_DEADLINE_MS, standardTiming } from '../../../src/machines/timing.js';
import { DEFAULT_ACCOUNT, startSimulator, type Simulator, type FaultRuleInput } from '../../../src/sim/simulator.js';
import { VirtualClock } from '../../../src/time/virtual-clock.js';
import type { Coverage } from './coverage.js';
import type { CallFault, Directive } from './directive.js';

/** The base unit the path runs use (the default, so the schedules are the real ones). */
export const UNIT_MS = 5_000;
/** Processing time of every container in path runs; the harness moves the clock when a step needs it done. */
const PROCESSING_MS = 200_000;
const ACCOUNT = DEFAULT_ACCOUNT.igUserId;

type Role = 'single' | 'item' | 'parent';
interface Known {
  readonly key: string;
  readonly role: Role;
}
type Via = 'real' | 'dead';
type CallKind = 'create' | 'status' | 'publish' | 'limit' | 'upload';

/** Which machine a path runs, and how to set its world up. */
export interface PathConfig {
  readonly logic: keyof ProvidedMachines;
  /** Builds the machine's input; may create containers first (a reused container, carousel children). */
  readonly input: (world: PathWorld) => Promise<object>;
  /** For carousel runs: the media URL of each item, to tell items apart. */
  readonly itemUrls?: readonly string[];
  /** States of the root in which a `restore` directive strikes at the next wait (elsewhere it strikes at a publish call). */
  readonly restoreAtWaitIn?: readonly string[];
}

/** What a run saw. */
export interface RunResult {
  readonly states: readonly string[];
  readonly output: unknown;
  readonly problems: readonly string[];
  readonly leftover: readonly string[];
  readonly sim: Simulator;
}

const mediaOf = (params: ContainerParams): 'image' | 'video' => (typeof params.video_url === 'string' || params.media_type === 'REELS' ? 'video' : 'image');
const roleOf = (params: ContainerParams): Role => (params.media_type === 'CAROUSEL' ? 'parent' : params.is_carousel_item === true ? 'item' : 'single');
const kindOf = (params: ContainerParams): 'carousel' | 'image' | 'video' => (params.media_type === 'CAROUSEL' ? 'carousel' : mediaOf(params));

/**
 * One path's world: a virtual clock, a simulator, igflow's real effects, and
 * a Graph client in between that arranges the simulator before each call
 * so that the machine receives the event the path's next step names. Every
 * answer still comes from the simulator over loopback HTTP.
 */
export class PathWorld {
  readonly clock = new VirtualClock();
  readonly problems: string[] = [];
  private readonly queues = new Map<string, Directive[]>();
  private readonly known = new Map<string, Known>();
  private readonly armed = new Set<Directive>();
  private readonly ledger: PublishEntry[] = [];
  private quota: QuotaGate | undefined;
  private root: AnyActorRef | undefined;
  private logic: AnyActorLogic | undefined;
  private inspect: ((event: InspectionEvent) => void) | undefined;

  private constructor(
    readonly sim: Simulator,
    readonly real: GraphClient,
    private readonly dead: GraphClient,
    private readonly config: PathConfig,
  ) {}

  /** Starts a world for one path. */
  static async start(config: PathConfig, directives: readonly Directive[], clock = new VirtualClock()): Promise<PathWorld> {
    const sim = await startSimulator({
      clock,
      scenario: { processing: { imageMs: [PROCESSING_MS, PROCESSING_MS], videoMs: [PROCESSING_MS, PROCESSING_MS], parentMs: [PROCESSING_MS, PROCESSING_MS] } },
    });
    const real = createGraphClient({ accessToken: DEFAULT_ACCOUNT.token, igUserId: ACCOUNT, baseUrl: sim.url });
    const dead = createGraphClient({ accessToken: DEFAULT_ACCOUNT.token, igUserId: ACCOUNT, baseUrl: 'http://127.0.0.1:9', timeouts: { connectMs: 2_000 } });
    const world = new PathWorld(sim, real, dead, config);
    Object.assign(world, { clock });
    for (const d of directives) {
      const key = d.kind === 'plan' && config.logic === 'carousel' ? d.actor : 'root';
      const queue = world.queues.get(key) ?? [];
      queue.push(d);
      world.queues.set(key, queue);
    }
    return world;
  }

  /** Creates a container out of band (a reused container, carousel children), with a destiny for the path's first steps. */
  async precreate(params: ContainerParams, key = 'root'): Promise<{ containerId: string; createdAt: number }> {
    const removers = this.injectDestiny(key, params, 0);
    const containerId = await this.real.createContainer(params);
    removers.forEach((remove) => remove());
    this.known.set(containerId, { key, role: roleOf(params) });
    return { containerId, createdAt: this.clock.now() };
  }

  /** Moves the clock until a container is FINISHED. */
  finish(containerId: string): void {
    this.clock.advanceTo(this.container(containerId).readyAt);
  }

  /** Runs the machine to its end and reports what happened. */
  async run(coverage: Coverage): Promise<RunResult> {
    this.quota = new QuotaGate({
      account: ACCOUNT,
      clock: this.clock,
      graph: () => this.proxy(),
      refreshMs: 0,
      ledger: {
        recordPublish: (entry) => {
          this.ledger.push(entry);
          return Promise.resolve();
        },
        publishesSince: (account, since) => Promise.resolve(this.ledger.filter((e) => e.account === account && e.at >= since)),
        // the stores' own decision (slot-rules.ts) over the harness's ledger; reservations end with the run
        takeSlot: (request) => {
          const window = this.ledger.filter((e) => e.account === request.account && e.at >= request.now - request.windowMs).map((e) => e.at);
          return Promise.resolve(decideSlot(request, window, 0));
        },
      },
    });
    const quota = this.quota;
    const machines = provideEffects({
      clock: this.clock,
      timing: standardTiming({ unitMs: UNIT_MS }),
      graphFor: () => this.proxy(),
      // a crash while the post waits: as a wait begins, the harness restores the machine instead of letting it run
      track: (_postId, effect) => {
        // a reschedule the path asks for is heard as the machine begins an effect in the state the path names
        queueMicrotask(() => {
          const head = this.queues.get('root')?.[0];
          const snapshot = this.root?.getSnapshot() as { value: unknown; status?: string } | undefined;
          if (head?.kind !== 'reschedule' || snapshot?.status !== 'active' || (head.at !== undefined && head.at !== JSON.stringify(snapshot.value))) return;
          const now = this.clock.now();
          this.root?.send({ type: 'RESCHEDULE', publishAt: now + head.afterMs, at: now });
        });
        if (effect.kind !== 'wait') return () => undefined;
        // after the step that started the wait, when the machine's snapshot shows where it waits
        queueMicrotask(() => {
          const snapshot = this.root?.getSnapshot() as { value: unknown; matches(v: string): boolean } | undefined;
          const inWaitState = (this.config.restoreAtWaitIn ?? []).some((state) => snapshot?.matches(state));
          const head = this.governing('root', 'publish');
          if (inWaitState && head?.kind === 'restore' && (head.at === undefined || head.at === JSON.stringify(snapshot?.value))) this.restore();
        });
        return () => undefined;
      },
      quotaFor: () => ({
        check: (postId, serverSaidFull) => {
          // the harness arranges the ledger before the check reads it
          const head = this.governing('root', 'limit');
          // the store cannot be reached: the check fails before anything is read
          if (head?.kind === 'quota-fail') return Promise.reject(new Error('the ledger cannot be read (path harness)'));
          // full: a quota of one, already used by a publish the ledger knows of; ok: plenty of room
          if (head?.kind === 'quota' && head.full && this.ledger.length === 0) this.ledger.push({ account: ACCOUNT, postId: 'earlier', at: this.clock.now() - 86_400_000 + 120_000 });
          if (head?.kind === 'quota') this.sim.setScenario({ quotaTotal: head.full ? 1 : 100 });
          if (head?.kind === 'quota' && head.outlived === true) {
            const made = this.sim.record.containers.at(-1);
            if (made !== undefined) this.clock.advanceTo(made.createdAt + CONTAINER_LIFETIME_MS);
          }
          return quota.check(postId, serverSaidFull);
        },
        record: (postId, at) => quota.record(postId, at),
      }),
    });
    const logic: AnyActorLogic = machines[this.config.logic];
    this.logic = logic;
    const input = await this.config.input(this);
    const states: string[] = [];
    let settle!: (output: unknown) => void;
    let fail!: (err: Error) => void;
    const done = new Promise<unknown>((resolve, reject) => {
      settle = resolve;
      fail = reject;
    });
    this.inspect = (event) => {
      coverage.record(event);
      if (event.actorRef !== this.root) return;
      if (event.type === '@xstate.event') this.observe(event.event.type);
      if (event.type === '@xstate.snapshot') {
        const snapshot = event.snapshot as { value?: unknown; status?: string; output?: unknown };
        const value = JSON.stringify(snapshot.value);
        if (states.at(-1) !== value) states.push(value);
        if (snapshot.status === 'done') settle(snapshot.output);
      }
      if (this.problems.length > 0) fail(new Error(this.problems.join('\n')));
    };
    this.root = createActor(logic, { input, inspect: this.inspect });
    this.root.start();
    // a new post starts as the runner starts it
    if (this.queues.get('root')?.[0]?.kind === 'start') this.root.send({ type: 'START' });
    let output: unknown;
    try {
      output = await this.clock.run(done, { stallMs: 5_000 });
    } catch (err) {
      this.problems.push(err instanceof Error ? err.message : String(err));
    }
    this.root.stop();
    this.problems.push(...this.checkPublished(output));
    const leftover = [...this.queues.entries()].flatMap(([key, queue]) => queue.map((d) => `${key}: ${d.label}`));
    return { states, output, problems: this.problems, leftover, sim: this.sim };
  }

  /** Closes the simulator and clients. */
  async close(): Promise<void> {
    this.root?.stop();
    await Promise.all([this.real.close(), this.dead.close()]);
    await this.sim.close();
  }

  /** What the machine says is live must be live in the simulator, under the media id it names. */
  private checkPublished(output: unknown): string[] {
    const claims: Array<{ containerId?: string; mediaId?: string }> = [];
    const out = output as { outcome?: string; containerId?: string; mediaId?: string; stories?: Array<{ containerId: string; mediaId?: string }> } | undefined;
    if (out?.stories) claims.push(...out.stories);
    else if (out?.outcome === 'published' && this.config.logic === 'post') claims.push(out);
    return claims.flatMap(({ containerId, mediaId }) => {
      const problems: string[] = [];
      if (containerId === undefined || this.sim.statusOf(containerId) !== 'PUBLISHED') problems.push(`container ${containerId} is said to be published but is ${containerId && this.sim.statusOf(containerId)}`);
      const publish = this.sim.record.publishes.find((p) => p.mediaId === mediaId);
      if (mediaId !== undefined && publish?.containerId !== containerId) problems.push(`media ${mediaId} is said to be container ${containerId}'s but is ${publish?.containerId}'s`);
      return problems;
    });
  }

  private observe(type: string): void {
    if (type === 'xstate.init') return;
    const key = this.config.logic === 'carousel' ? (type.match(/^xstate\.done\.actor\.(item-\d+|parent)$/)?.[1] ?? 'root') : 'root';
    const queue = this.queues.get(key) ?? [];
    const head = queue[0];
    if (head?.popOn === type) {
      queue.shift();
      return;
    }
    if (head === undefined && key.startsWith('item-')) return;
    this.problems.push(`the machine got ${type}, the path expects ${head ? `${head.label} (${head.popOn})` : 'nothing more'}`);
  }

  /** The directive that governs a call: the head of its queue (a pending restore only governs a publish). */
  private governing(key: string, call: CallKind): Directive | undefined {
    const queue = this.queues.get(key) ?? [];
    const head = queue[0];
    // A carousel item the path says nothing more about (a sibling failed first) just carries on.
    if (head === undefined && key.startsWith('item-')) return { kind: 'plan', actor: key, outcome: 'finished', popOn: `xstate.done.actor.${key}`, label: 'carry on' };
    // the story being published when the lease goes carries on as usual until its publish
    if (head?.kind === 'lease-lost' && call !== 'publish' && queue[1] === undefined && this.config.logic === 'stories') return { kind: 'plan', actor: 'story', outcome: 'published', popOn: 'xstate.done.actor.story', label: 'carry on' };
    return (head?.kind === 'restore' || head?.kind === 'lease-lost' || head?.kind === 'reschedule') && call !== 'publish' ? queue[1] : head;
  }

  private keyForCreate(params: ContainerParams): string {
    if (this.config.logic !== 'carousel') return 'root';
    if (params.media_type === 'CAROUSEL') return 'parent';
    const url = params.image_url ?? params.video_url;
    const index = (this.config.itemUrls ?? []).indexOf(String(url));
    return index < 0 ? 'root' : `item-${index}`;
  }

  private container(id: string) {
    const rec = this.sim.record.containers.find((c) => c.id === id);
    if (rec === undefined) throw new Error(`unknown container ${id}`);
    return rec;
  }

  private injectOnce(endpoint: 'create' | 'status' | 'publish', fault: CallFault, params?: ContainerParams): { via: Via; remove: () => void } {
    if (fault.type === 'refused') return { via: 'dead', remove: () => undefined };
    const match: Partial<FaultRuleInput> = params === undefined ? {} : { kind: kindOf(params), isCarouselItem: params.is_carousel_item === true };
    return { via: 'real', remove: this.sim.inject({ endpoint, ...match, fault }) };
  }

  /** Looks ahead in the queue for what the next created container must end as, and makes the simulator do it. */
  private injectDestiny(key: string, params: ContainerParams, from: number): Array<() => void> {
    const queue = this.queues.get(key) ?? [];
    const upcoming: Directive[] = [];
    for (const d of queue.slice(from)) {
      if (d.kind === 'create' && upcoming.length > 0) break;
      upcoming.push(d);
    }
    const match = { endpoint: 'create' as const, kind: kindOf(params), isCarouselItem: params.is_carousel_item === true };
    const error = upcoming.find((d) => d.kind === 'status' && d.goal === 'ERROR');
    const late = upcoming.some((d) => (d.kind === 'status' && d.goal === 'LATE') || (d.kind === 'status-fail' && d.late !== undefined && d.late !== false));
    const removers: Array<() => void> = [];
    if (error?.kind === 'status') {
      removers.push(this.sim.inject({ ...match, fault: { type: 'containerError', subcode: error.subcode, generic: error.subcode === undefined } }));
    }
    if (late) removers.push(this.sim.inject({ ...match, fault: { type: 'processingMs', ms: 1e12 } }));
    return removers;
  }

  private mismatch(call: string, d: Directive | undefined): Via {
    this.problems.push(`the machine made a ${call} call, the path expects ${d ? d.label : 'nothing more'}`);
    return 'real';
  }

  private arrangeCreate(params: ContainerParams): { via: Via; remove: () => void } {
    const key = this.keyForCreate(params);
    const d = this.governing(key, 'create');
    if (d?.kind === 'create') {
      if (d.fault) return this.injectOnce('create', d.fault, params);
      const removers = this.injectDestiny(key, params, 1);
      return { via: 'real', remove: () => removers.forEach((r) => r()) };
    }
    if (d?.kind === 'plan') {
      // with a restore still to come, the container must live until its first wait: it then fails at a status read
      if (d.outcome === 'failed' && !this.armed.has(d) && this.queues.get('root')?.[0]?.kind !== 'restore') {
        this.armed.add(d);
        return this.injectOnce('create', { type: 'graphError', code: 36004, subcode: 2207010 }, params);
      }
      return { via: 'real', remove: () => undefined };
    }
    return { via: this.mismatch('create', d), remove: () => undefined };
  }

  private async ensurePublished(id: string): Promise<void> {
    if (this.sim.statusOf(id) === 'PUBLISHED') return;
    this.finish(id);
    await this.real.publish(id);
  }

  private async arrangeStatus(id: string): Promise<{ via: Via; remove: () => void }> {
    const known = this.known.get(id);
    const d = this.governing(known?.key ?? 'root', 'status');
    const rec = this.container(id);
    const none = { via: 'real' as const, remove: () => undefined };
    switch (d?.kind) {
      case 'status':
        if (d.goal === 'IN_PROGRESS' && this.sim.statusOf(id) !== 'IN_PROGRESS') this.problems.push(`container ${id} is ${this.sim.statusOf(id)}, the path expects IN_PROGRESS`);
        if (d.goal === 'LATE') this.clock.advanceTo(rec.createdAt + DEFAULT_PROCESSING_DEADLINE_MS[rec.kind === 'video' ? 'video' : 'image']);
        if (d.goal === 'FINISHED' || d.goal === 'ERROR') this.finish(id);
        if (d.goal === 'EXPIRED') this.clock.advanceTo(rec.expiresAt);
        if (d.goal === 'PUBLISHED') await this.ensurePublished(id);
        return none;
      case 'status-fail':
      case 'verify-fail':
        // reads failing in passing go on while the container lives; past its life a new one is made
        if (d.kind === 'status-fail' && d.late === true) this.clock.advanceTo(rec.createdAt + CONTAINER_LIFETIME_MS);
        // reads failing with an unknown error stop at the processing deadline
        if (d.kind === 'status-fail' && d.late === 'deadline') this.clock.advanceTo(rec.createdAt + DEFAULT_PROCESSING_DEADLINE_MS[rec.kind === 'video' ? 'video' : 'image']);
        return this.injectOnce('status', d.fault);
      case 'verify':
        if (d.outcome === 'published') await this.ensurePublished(id);
        if (d.outcome === 'not-published') this.finish(id);
        if (d.outcome === 'expired') this.clock.advanceTo(rec.expiresAt);
        return none;
      case 'plan':
        if (d.outcome === 'failed') {
          if (this.armed.has(d)) return none;
          this.armed.add(d);
          return this.injectOnce('status', { type: 'graphError', code: 36003, subcode: 2207009 });
        }
        // A container plan 'published' means "found already published"; a story plan means "publishes as usual".
        if (d.outcome === 'expired' && known?.role === 'parent') this.clock.advanceTo(rec.expiresAt);
        else if (d.outcome === 'published' && d.actor !== 'story' && known?.role !== 'item') await this.ensurePublished(id);
        else this.finish(id);
        return none;
      default:
        return { via: this.mismatch('status', d), remove: () => undefined };
    }
  }

  /** An upload attempt: its offset read (`offset`, where a refused token strikes) or its bytes (where resets and refusals strike). */
  private arrangeUpload(id: string, step: 'offset' | 'bytes'): { via: Via; remove: () => void } {
    const d = this.governing(this.known.get(id)?.key ?? 'root', 'upload');
    const none = { via: 'real' as const, remove: () => undefined };
    if (d?.kind !== 'upload') return { via: this.mismatch(`upload (${step})`, d), remove: () => undefined };
    if (step === 'offset' && d.fault === 'auth') return this.injectOnce('status', { type: 'graphError', code: 190 });
    if (step === 'offset' && d.fault === 'unknown') return this.injectOnce('status', { type: 'graphError', code: 999 });
    if (step === 'offset') return none;
    switch (d.fault) {
      case 'late':
        this.clock.advanceTo(this.container(id).createdAt + CONTAINER_LIFETIME_MS);
        return { via: 'real', remove: this.sim.inject({ endpoint: 'upload', fault: { type: 'resetAfterBytes', bytes: 0 } }) };
      case 'reset':
        return { via: 'real', remove: this.sim.inject({ endpoint: 'upload', fault: { type: 'resetAfterBytes', bytes: 10 } }) };
      case 'refused':
        return { via: 'real', remove: this.sim.inject({ endpoint: 'upload', fault: { type: 'uploadError', retriable: false } }) };
      default:
        return none;
    }
  }

  private arrangePublish(id: string): { via: Via | 'restore' | 'lease-lost' | 'story-lease-lost'; remove: () => void } {
    const key = this.known.get(id)?.key ?? 'root';
    const d = this.governing(key, 'publish');
    const none = { via: 'real' as const, remove: () => undefined };
    if (d?.kind === 'restore') return { via: 'restore', remove: () => undefined };
    if (d?.kind === 'lease-lost') return { via: 'lease-lost', remove: () => undefined };
    if (d?.kind === 'plan' && d.outcome === 'interrupted') return { via: 'story-lease-lost', remove: () => undefined };
    if (d?.kind === 'plan') return none;
    if (d?.kind !== 'publish') return { via: this.mismatch('publish', d), remove: () => undefined };
    if (d.fault === undefined) return none;
    if (d.fault.type === 'ambiguous') {
      const queue = this.queues.get(key) ?? [];
      const next = queue.slice(1).find((n) => n.kind === 'verify');
      const fault: CallFault = next?.kind === 'verify' && next.outcome === 'published' ? { type: 'lostResponse' } : { type: 'http500' };
      return this.injectOnce('publish', fault);
    }
    return this.injectOnce('publish', d.fault);
  }

  /** Simulates a crash while a publish is in flight: persist, stop, restore from the JSON snapshot, say RESTORED. */
  private restore(): void {
    const old = this.root;
    if (old === undefined || this.logic === undefined) return;
    const persisted: unknown = JSON.parse(JSON.stringify(old.getPersistedSnapshot()));
    old.stop();
    this.root = createActor(this.logic, { snapshot: persisted as never, inspect: this.inspect });
    this.root.start();
    this.root.send({ type: 'RESTORED' });
  }

  private proxy(): GraphClient {
    const world = this; // eslint-disable-line @typescript-eslint/no-this-alias -- the client's methods are called with their own `this`
    const through = async <T>(arranged: { via: Via; remove: () => void }, call: (client: GraphClient) => Promise<T>): Promise<T> => {
      try {
        return await call(arranged.via === 'dead' ? world.dead : world.real);
      } finally {
        arranged.remove();
      }
    };
    return {
      igUserId: this.real.igUserId,
      login: this.real.login,
      async createContainer(params, options) {
        const arranged = world.arrangeCreate(params);
        const id = await through(arranged, (c) => c.createContainer(params, options));
        world.known.set(id, { key: world.keyForCreate(params), role: roleOf(params) });
        return id;
      },
      async containerStatus(id, options) {
        return through(await world.arrangeStatus(id), (c) => c.containerStatus(id, options));
      },
      async uploadedBytes(id, options) {
        return through(world.arrangeUpload(id, 'offset'), (c) => c.uploadedBytes(id, options));
      },
      async upload(id, body, options) {
        return through(world.arrangeUpload(id, 'bytes'), (c) => c.upload(id, body, options));
      },
      async publish(id, options) {
        const arranged = world.arrangePublish(id);
        if (arranged.via === 'restore') {
          world.restore();
          throw new Error('the process crashed here (path harness)');
        }
        if (arranged.via === 'lease-lost' || arranged.via === 'story-lease-lost') {
          // another worker took the post: the runner tells the machine instead of sending the publish
          const children = (world.root?.getSnapshot() as { children?: Record<string, AnyActorRef | undefined> } | undefined)?.children;
          const target = arranged.via === 'lease-lost' ? world.root : children?.story;
          target?.send({ type: 'LEASE_LOST', reason: 'another worker holds this post now (path harness)' });
          throw new Error('the lease was lost (path harness)');
        }
        return through({ via: arranged.via, remove: arranged.remove }, (c) => c.publish(id, options));
      },
      publishingLimit(options) {
        const d = world.governing('root', 'limit');
        if (d?.kind !== 'quota' && d?.kind !== 'plan') world.problems.push(`the machine read the publishing limit, the path expects ${d ? d.label : 'nothing more'}`);
        return world.real.publishingLimit(options);
      },
      recentMedia: (options) => this.real.recentMedia(options),
      recentStories: (options) => this.real.recentStories(options),
      // the first comment: a restore the path asks for strikes as the comment is sent (a crash after its checkpoint)
      async comment(mediaId, message, options) {
        if (world.queues.get('root')?.[0]?.kind === 'restore') {
          world.restore();
          throw new Error('the process crashed here (path harness)');
        }
        return world.real.comment!(mediaId, message, options);
      },
      comments: (mediaId, options) => this.real.comments!(mediaId, options),
      mediaOwner: (mediaId, options) => this.real.mediaOwner!(mediaId, options),
      close: () => Promise.resolve(),
    };
  }
}

export { ACCOUNT, mediaOf };
