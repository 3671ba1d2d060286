import { createInspector } from '@statelyai/inspect';
import type { InspectionEvent } from 'xstate';

/** Where a {@link StatelyFeed} sends its messages. */
export interface FeedOutput {
  /** Whether a message sent now reaches the server. */
  connected(): boolean;
  /** Sends one message (a JSON text) to the server. */
  send(text: string): void;
  /** Epoch milliseconds, for the messages' `createdAt`. */
  now(): number;
  /**
   * How many of the latest messages the server replays to a viewer that
   * connects late (`createInspectorServer()` of `@statelyai/inspect/server`
   * keeps 200).
   */
  readonly replayWindow: number;
}

/** A charted actor as the feed remembers it: enough to register it again with its current snapshot. */
interface Charted {
  readonly sessionId: string;
  readonly name: string;
  readonly definition: string;
  readonly rootId: string | undefined;
  readonly parentId: string | undefined;
  getSnapshot(): unknown;
}

type RefLike = { readonly sessionId: string; readonly id?: unknown; readonly _parent?: { readonly sessionId?: unknown }; readonly logic?: unknown; getSnapshot(): unknown };

/** The `_version` the installed `@statelyai/inspect` stamps on its messages, read from one it makes. */
const libraryVersion: string = (() => {
  let version = '0';
  createInspector({
    start: () => undefined,
    stop: () => undefined,
    send: (message: unknown) => {
      const stamped = (message as { _version?: unknown })._version;
      if (typeof stamped === 'string') version = stamped;
    },
  }).actor('igflow-version-probe');
  return version;
})();

/** JSON for a message; functions (in events not sanitized by igflow) as `{ type: name }`, like the library. Undefined when it cannot be written. */
function toJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'function' ? { type: (item as { name: string }).name } : typeof item === 'bigint' ? item.toString() : item));
  } catch {
    return undefined;
  }
}

const configOf = (ref: RefLike): object | undefined => {
  const logic = ref.logic;
  const config = typeof logic === 'object' && logic !== null && 'config' in logic ? logic.config : undefined;
  return typeof config === 'object' && config !== null ? config : undefined;
};

/** An actor's snapshot as it registers: XState cannot read it while the actor initialises, and then it is the library's `{ status: 'active' }` (its first `@xstate.snapshot` follows). */
function initialSnapshot(charted: Charted): unknown {
  try {
    return charted.getSnapshot();
  } catch {
    return { status: 'active' };
  }
}

const statusOf = (snapshot: unknown): unknown => (typeof snapshot === 'object' && snapshot !== null && 'status' in snapshot ? snapshot.status : undefined);

/**
 * Turns inspection events into the Stately inspector's messages (the format
 * of `@statelyai/inspect`'s `createWebSocketInspector`: `@xstate.actor`
 * with the definition as JSON, `@xstate.event`, `@xstate.snapshot`) and
 * decides what to send:
 *
 * - Only machines are charted (actors whose logic has a config: the post,
 *   stories, carousel and container machines). Helper actors (the effects:
 *   `readStatus`, `wait`, `createContainer`, … promise actors) are left
 *   out, and an event one of them sent carries no `sourceId`.
 * - Nothing is kept for later while disconnected: when the connection
 *   (re)opens, {@link resync} registers every live machine again with its
 *   current snapshot, then new events follow. A reconnect never replays
 *   events already delivered.
 * - A viewer that connects late gets the server's last `replayWindow`
 *   messages, so every live machine is registered again (with its current
 *   snapshot) before its last registration leaves that window: a late
 *   viewer draws every live machine as long as they number fewer than half
 *   the window (100 with the library's server).
 */
export class StatelyFeed {
  private readonly live = new Map<string, Charted>();
  private readonly definitions = new WeakMap<object, string>();
  /** Messages sent since the last full registration began. */
  private sinceKeyframe = 0;

  constructor(private readonly out: FeedOutput) {}

  /** Takes one inspection event (sanitized by igflow, or raw): remembers what is live, and sends its message when connected. */
  take(event: InspectionEvent): void {
    switch (event.type) {
      case '@xstate.actor':
        return this.register(event.actorRef, event.rootId);
      case '@xstate.event': {
        const sessionId = event.actorRef.sessionId;
        if (!this.live.has(sessionId)) return;
        const sourceId = event.sourceRef !== undefined && this.live.has(event.sourceRef.sessionId) ? event.sourceRef.sessionId : undefined;
        return this.send({ type: '@xstate.event', event: event.event, sourceId, sessionId, _version: libraryVersion, createdAt: this.createdAt(), id: null, rootId: event.rootId });
      }
      case '@xstate.snapshot': {
        const sessionId = event.actorRef.sessionId;
        if (!this.live.has(sessionId)) return;
        this.send({ type: '@xstate.snapshot', event: event.event, snapshot: event.snapshot, sessionId, _version: libraryVersion, createdAt: this.createdAt(), id: null, rootId: event.rootId });
        if (statusOf(event.snapshot) !== 'active') this.live.delete(sessionId);
        return;
      }
      default:
        // microsteps and actions: the library does not send them either
        return;
    }
  }

  /** The connection (re)opened: every live machine's registration with its current snapshot; new events follow. */
  resync(): void {
    this.keyframe();
  }

  /** Forgets every actor (the connection is closed for good). */
  clear(): void {
    this.live.clear();
  }

  /** How many machines are live, as far as the feed knows. */
  get liveCount(): number {
    return this.live.size;
  }

  private register(ref: RefLike, rootId: string): void {
    const config = configOf(ref);
    if (config === undefined) return; // a helper actor: not charted
    let definition = this.definitions.get(config);
    if (definition === undefined) {
      definition = toJson(config) ?? '{}';
      this.definitions.set(config, definition);
    }
    const configId = 'id' in config && typeof config.id === 'string' ? config.id : ref.sessionId;
    const id = typeof ref.id === 'string' ? ref.id : ref.sessionId;
    const parent = ref._parent?.sessionId;
    const charted: Charted = {
      sessionId: ref.sessionId,
      name: id === ref.sessionId ? configId : id,
      definition,
      rootId,
      parentId: typeof parent === 'string' ? parent : undefined,
      getSnapshot: () => ref.getSnapshot(),
    };
    // a keyframe due now goes first, so the new machine is not registered twice in a row
    this.keyframeIfDue();
    this.live.set(charted.sessionId, charted);
    this.send(this.registration(charted, initialSnapshot(charted)), false);
  }

  private registration(charted: Charted, snapshot: unknown): Record<string, unknown> {
    return {
      type: '@xstate.actor',
      name: charted.name,
      definition: charted.definition,
      _version: libraryVersion,
      createdAt: this.createdAt(),
      id: null,
      rootId: charted.rootId,
      parentId: charted.parentId,
      sessionId: charted.sessionId,
      snapshot,
    };
  }

  private createdAt(): string {
    return this.out.now().toString();
  }

  /** A full registration is due when the oldest one might leave the server's replay window before the next. */
  private keyframeIfDue(): void {
    const window = this.out.replayWindow;
    if (this.live.size > 0 && this.sinceKeyframe >= Math.max(window - this.live.size, Math.floor(window / 2))) this.keyframe();
  }

  private keyframe(): void {
    this.sinceKeyframe = 0;
    if (!this.out.connected()) return;
    for (const charted of [...this.live.values()]) {
      let snapshot: unknown;
      try {
        snapshot = charted.getSnapshot();
      } catch {
        snapshot = undefined;
      }
      // stopped without a last snapshot (a parked post, a child its parent left): not live any more
      if (statusOf(snapshot) !== 'active') {
        this.live.delete(charted.sessionId);
        continue;
      }
      this.send(this.registration(charted, snapshot), false);
    }
  }

  private send(message: Record<string, unknown>, checkKeyframe = true): void {
    if (!this.out.connected()) return;
    if (checkKeyframe) this.keyframeIfDue();
    const text = toJson(message);
    if (text === undefined) return;
    this.out.send(text);
    this.sinceKeyframe++;
  }
}
