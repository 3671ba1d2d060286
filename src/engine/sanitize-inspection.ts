import type { InspectionEvent } from 'xstate';
import { redactor } from '../graph/redact.js';
import { inlineLocation, inlinePlaceholder } from './inline-placeholder.js';

/** XState's `inspect` option, as a function: receives every inspection event of an actor system. */
export type InspectCallback = (event: InspectionEvent) => void;

/** What an actor ref becomes in a sanitized event: enough for an inspector, nothing live. */
interface InspectedRef {
  readonly id: string;
  readonly sessionId: string;
  readonly _parent: InspectedRef | undefined;
  readonly logic: { readonly config: unknown };
  /** The actor's current snapshot, sanitized when asked for. */
  getSnapshot(): unknown;
  /** Does nothing: an inspector cannot talk back to igflow's actors. */
  send(): void;
  toJSON(): { id: string; sessionId: string };
}

type Redact = (text: string) => string;
type ActorRefShape = { readonly sessionId: string; readonly id?: unknown; readonly _parent?: unknown; readonly logic?: unknown; getSnapshot(): unknown };

const MAX_DEPTH = 64;

const idOf = (actor: ActorRefShape): string => (typeof actor.id === 'string' ? actor.id : actor.sessionId);

const isActorRef = (value: object): value is ActorRefShape =>
  'sessionId' in value && typeof value.sessionId === 'string' && 'getSnapshot' in value && typeof value.getSnapshot === 'function' && 'send' in value && typeof value.send === 'function';

/** One sanitizer: redacts strings and caches what it made of each actor and each logic. */
class Sanitizer {
  private readonly refs = new WeakMap<object, InspectedRef>();
  private readonly configs = new WeakMap<object, unknown>();

  constructor(private readonly redact: Redact) {}

  /** A JSON-safe, redacted copy of any value: no functions, cycles, bigints, Maps, Sets or live actors. */
  copy(value: unknown, ancestors: object[] = []): unknown {
    if (typeof value === 'string') return this.redact(value);
    if (typeof value === 'bigint') return this.redact(value.toString());
    if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return value;
    if (typeof value !== 'object') return undefined; // functions, symbols
    if (ancestors.includes(value)) return '[circular]';
    if (ancestors.length >= MAX_DEPTH) return '[too deep]';
    if (isActorRef(value)) return { id: this.redact(idOf(value)), sessionId: value.sessionId };
    const inner = [...ancestors, value];
    if ('toJSON' in value && typeof value.toJSON === 'function') {
      const json: unknown = (value.toJSON as () => unknown).call(value);
      return json === value ? '[circular]' : this.copy(json, inner);
    }
    if (Array.isArray(value)) return value.map((item: unknown) => this.copy(item, inner));
    if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]: [unknown, unknown]) => [this.redact(String(k)), this.copy(v, inner)]));
    if (value instanceof Set) return [...value].map((item: unknown) => this.copy(item, inner));
    const out: Record<string, unknown> = {};
    if (value instanceof Error) {
      out.name = this.redact(value.name);
      out.message = this.redact(value.message);
    }
    for (const [key, item] of Object.entries(value)) out[this.redact(key)] = this.copy(item, inner);
    return out;
  }

  /**
   * A machine's config copied for an inspector: like {@link copy}, but every
   * function (an inline guard, action, input or context) becomes a named
   * placeholder rather than vanishing, so a guarded transition stays guarded.
   */
  private definition(value: unknown, machineId: string, path: readonly (string | number)[], ancestors: object[]): unknown {
    if (typeof value === 'function') {
      const fn = value as (...args: never[]) => unknown;
      return inlinePlaceholder(fn, this.redact(inlineLocation(machineId, path)), (part, index) => this.definition(part, machineId, [...path, 'guards', index], ancestors));
    }
    if (typeof value !== 'object' || value === null || isActorRef(value) || value instanceof Map || value instanceof Set || 'toJSON' in value) return this.copy(value, ancestors);
    if (ancestors.includes(value)) return '[circular]';
    if (ancestors.length >= MAX_DEPTH) return '[too deep]';
    const inner = [...ancestors, value];
    if (Array.isArray(value)) return value.map((item: unknown, index) => this.definition(item, machineId, [...path, index], inner));
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[this.redact(key)] = this.definition(item, machineId, [...path, key], inner);
    return out;
  }

  /** The stand-in for an actor ref: same one for the same actor, so events stay comparable. A root actor is named `rootName` when given. */
  ref(actor: ActorRefShape, rootName?: string): InspectedRef {
    const known = this.refs.get(actor);
    if (known !== undefined) return known;
    const parent = typeof actor._parent === 'object' && actor._parent !== null && isActorRef(actor._parent) ? this.ref(actor._parent, rootName) : undefined;
    const isRoot = actor._parent === undefined || actor._parent === null;
    const id = this.redact(isRoot && rootName !== undefined ? rootName : idOf(actor));
    const sessionId = actor.sessionId;
    const stand: InspectedRef = {
      id,
      sessionId,
      _parent: parent,
      logic: { config: this.config(actor.logic) },
      getSnapshot: () => this.copy(actor.getSnapshot()),
      send: () => undefined,
      toJSON: () => ({ id, sessionId }),
    };
    this.refs.set(actor, stand);
    return stand;
  }

  /** The logic's definition (a machine's config), copied once per logic. */
  private config(logic: unknown): unknown {
    // a machine's config is an object; a promise or callback actor's is its function, not a definition
    if (typeof logic !== 'object' || logic === null || !('config' in logic) || typeof logic.config !== 'object') return undefined;
    if (!this.configs.has(logic)) {
      const config = logic.config;
      const machineId = typeof config === 'object' && config !== null && 'id' in config && typeof config.id === 'string' ? config.id : '(machine)';
      this.configs.set(logic, this.definition(config, machineId, [], []));
    }
    return this.configs.get(logic);
  }

  /** A sanitized copy of an inspection event: its actor refs as stand-ins (the root named `rootName` when given), everything else copied. */
  event(event: InspectionEvent, rootName?: string): InspectionEvent {
    const out: Record<string, unknown> = {};
    const entries: [string, unknown][] = Object.entries(event);
    for (const [key, value] of entries) {
      const refKey = key === 'actorRef' || key === 'sourceRef';
      out[key] = refKey && typeof value === 'object' && value !== null && isActorRef(value) ? this.ref(value, rootName) : this.copy(value);
    }
    // Same keys and type as the original; every value is a sanitized copy.
    return out as unknown as InspectionEvent;
  }
}

/** Sanitizes one inspection event (see {@link sanitizeInspection}); `rootName` names the root actor's stand-in. Undefined when the event cannot be copied. */
export type InspectionSanitizer = (event: InspectionEvent, rootName?: string) => InspectionEvent | undefined;

/** One sanitizer for a whole actor system (or several): the engine's, which names each post's root actor by the post. */
export function inspectionSanitizer(secrets: readonly string[]): InspectionSanitizer {
  // `secrets` grows as tokens are handed out (a token function, a refresh): the redactor is rebuilt when it does
  let seen = -1;
  let redact = redactor([]);
  const sanitizer = new Sanitizer((text) => {
    if (seen !== secrets.length) {
      seen = secrets.length;
      redact = redactor(secrets);
    }
    return redact(text);
  });
  return (event, rootName) => {
    try {
      return sanitizer.event(event, rootName);
    } catch {
      return undefined;
    }
  };
}

/**
 * Wraps an inspect callback so it only ever sees sanitized copies: every
 * string anywhere in an event (context, events, outputs, errors, the
 * machine's definition) has each secret, and its URL-encoded form, replaced
 * by `[redacted]`; values are JSON-safe (no functions, cycles, bigints,
 * Maps or Sets). A machine's definition (`logic.config`) keeps its inline
 * functions as named placeholders (`{ type: 'inline:post.preparing/…guard' }`,
 * `{ type: 'xstate.and', guards: [...] }`, `{ type: 'xstate.assign' }`), so the
 * chart an inspector draws from it is the machine's; elsewhere functions
 * are dropped. Actor refs become inert stand-ins carrying `id`,
 * `sessionId`, `_parent`, `logic.config` and a `getSnapshot()` that returns
 * a sanitized snapshot, which is what the Stately inspector reads; they
 * cannot be sent events, and are not the live actors (compare sessionIds).
 *
 * Defence in depth: igflow never puts a token in machine context, events
 * or inputs, but an inspector must not see one even if a bug did. An event
 * that cannot be copied is dropped, never passed on raw.
 */
export function sanitizeInspection(inspect: InspectCallback, secrets: readonly string[]): InspectCallback {
  const sanitize = inspectionSanitizer(secrets);
  return (event) => {
    const safe = sanitize(event);
    if (safe !== undefined) inspect(safe);
  };
}
