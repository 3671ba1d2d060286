import type { EventObject } from 'xstate';
import { CONTAINER_LIFETIME_MS } from '../../../src/machines/timing.js';
import type { FaultRuleInput } from '../../../src/sim/simulator.js';
import type { ErrorClass } from '../../../src/graph/error-class.js';

/** A fault for one call: one of the simulator's, or a refused connection (a dead port). */
export type CallFault = FaultRuleInput['fault'] | { readonly type: 'refused' };

/** What a status read must find. LATE: still IN_PROGRESS when the poll deadline has passed. */
export type StatusGoal = 'IN_PROGRESS' | 'LATE' | 'FINISHED' | 'PUBLISHED' | 'EXPIRED' | 'ERROR';

/** How a nested machine (a container, an item, a story) must end. */
export type PlanOutcome = 'finished' | 'published' | 'failed' | 'expired' | 'interrupted';

/**
 * What the harness arranges in the simulator so that the machine receives
 * the event a path step names. Exact directives govern one call; plans
 * govern every call of a nested machine until it ends.
 */
export type Arrangement =
  | { readonly kind: 'create'; readonly fault?: CallFault }
  | { readonly kind: 'status'; readonly goal: StatusGoal; readonly subcode?: number }
  /** `late`: the read fails past the processing deadline (`deadline`) or past the container's 24 h life (`true`). */
  | { readonly kind: 'status-fail'; readonly fault: CallFault; readonly late?: boolean | 'deadline' }
  | { readonly kind: 'publish'; readonly fault?: CallFault | { readonly type: 'ambiguous' } }
  | { readonly kind: 'verify'; readonly outcome: 'published' | 'not-published' | 'expired' }
  | { readonly kind: 'verify-fail'; readonly fault: CallFault }
  /** An upload attempt: through, cut mid-body (`reset`), refused for good (`refused`), a refused token or an error no catalogue row knows on the offset read (`auth`, `unknown`), or cut past the container's life (`late`). */
  | { readonly kind: 'upload'; readonly fault?: 'reset' | 'refused' | 'auth' | 'unknown' | 'late' }
  | { readonly kind: 'wait' }
  /** The runner starts a new post (the harness sends START). */
  | { readonly kind: 'start' }
  | { readonly kind: 'restore' }
  /** At the publish call: this worker's lease is gone (the machine hears LEASE_LOST instead of an answer). */
  | { readonly kind: 'lease-lost' }
  /** `outlived`: the check comes when the container's 24 h are up (a long wait, a crash). */
  | { readonly kind: 'quota'; readonly full: boolean; readonly outlived?: boolean }
  | { readonly kind: 'quota-fail' }
  | { readonly kind: 'find' }
  /** A reschedule stored elsewhere, heard as the machine begins its next effect: RESCHEDULE to `afterMs` from now. */
  | { readonly kind: 'reschedule'; readonly afterMs: number }
  | { readonly kind: 'plan'; readonly actor: string; readonly outcome: PlanOutcome };

/** A path step's event with what makes it happen. */
export interface Variant {
  readonly label: string;
  readonly event: EventObject;
  readonly arrange: Arrangement;
  /** Only offered when this holds (a wildcard accepts more events than can really arrive; some answers contradict the context). */
  readonly when?: (snapshot: { matches(value: string): boolean; context: Record<string, unknown> }) => boolean;
}

/** A directive in a run's script: the arrangement, and the event that consumes it. */
export type Directive = Arrangement & { readonly popOn: string; readonly label: string; /** The state value (JSON) the machine is in when the step happens. */ readonly at?: string };

const failure = (errorClass: ErrorClass, extra: { retryable?: boolean; maxAttempts?: number } = {}) => ({
  error: { name: 'E', errorClass, retryable: extra.retryable ?? !['invalid-input', 'auth'].includes(errorClass), message: errorClass, remedy: '', maxAttempts: extra.maxAttempts },
  at: 1,
});

const status = (statusCode: string, error?: { subcode: number | undefined; errorClass: ErrorClass }, at = 1) => ({
  type: 'xstate.done.actor.readStatus',
  output: { status: { id: 'c', statusCode, status: undefined, error: error && { ...error, remedy: '', meaning: undefined, maxAttempts: undefined } }, at },
});

const variant = (label: string, event: EventObject, arrange: Arrangement, when?: Variant['when']): Variant => ({ label, event, arrange, when });
const inState = (value: string): Variant['when'] => (snapshot) => snapshot.matches(value);

/** The container machine's effect results, each with its arrangement. */
export const containerVariants: readonly Variant[] = [
  variant('create ok', { type: 'xstate.done.actor.createContainer', output: { containerId: 'c', at: 0 } } as EventObject, { kind: 'create' }),
  variant('create 500', { type: 'xstate.error.actor.createContainer', error: failure('retry-later') } as EventObject, { kind: 'create', fault: { type: 'http500' } }),
  variant('create 2207006', { type: 'xstate.error.actor.createContainer', error: failure('recreate-container') } as EventObject, {
    kind: 'create',
    fault: { type: 'graphError', code: 24, subcode: 2207006 },
  }),
  variant('create 190', { type: 'xstate.error.actor.createContainer', error: failure('auth') } as EventObject, { kind: 'create', fault: { type: 'graphError', code: 190 } }),
  variant('create 2207010', { type: 'xstate.error.actor.createContainer', error: failure('invalid-input') } as EventObject, {
    kind: 'create',
    fault: { type: 'graphError', code: 36004, subcode: 2207010 },
  }),
  variant('IN_PROGRESS', status('IN_PROGRESS'), { kind: 'status', goal: 'IN_PROGRESS' }),
  variant('IN_PROGRESS late', status('IN_PROGRESS', undefined, 1e15), { kind: 'status', goal: 'LATE' }),
  variant('FINISHED', status('FINISHED'), { kind: 'status', goal: 'FINISHED' }),
  variant('PUBLISHED', status('PUBLISHED'), { kind: 'status', goal: 'PUBLISHED' }),
  variant('EXPIRED', status('EXPIRED'), { kind: 'status', goal: 'EXPIRED' }),
  variant('ERROR 2207032', status('ERROR', { subcode: 2207032, errorClass: 'recreate-container' }), { kind: 'status', goal: 'ERROR', subcode: 2207032 }),
  variant('ERROR generic', status('ERROR', { subcode: undefined, errorClass: 'unknown' }), { kind: 'status', goal: 'ERROR' }),
  variant('ERROR 2207026', status('ERROR', { subcode: 2207026, errorClass: 'invalid-input' }), { kind: 'status', goal: 'ERROR', subcode: 2207026 }),
  variant('status 500', { type: 'xstate.error.actor.readStatus', error: failure('retry-later') } as EventObject, { kind: 'status-fail', fault: { type: 'http500' } }),
  variant('status 190', { type: 'xstate.error.actor.readStatus', error: failure('auth') } as EventObject, { kind: 'status-fail', fault: { type: 'graphError', code: 190 } }),
  variant('status 2207009', { type: 'xstate.error.actor.readStatus', error: failure('invalid-input') } as EventObject, {
    kind: 'status-fail',
    fault: { type: 'graphError', code: 36003, subcode: 2207009 },
  }),
  variant('status 500 late', { type: 'xstate.error.actor.readStatus', error: { ...failure('retry-later'), at: 1e15 } } as EventObject, { kind: 'status-fail', fault: { type: 'http500' }, late: true }),
  variant('status unknown late', { type: 'xstate.error.actor.readStatus', error: { ...failure('unknown'), at: 1e15 } } as EventObject, {
    kind: 'status-fail',
    fault: { type: 'graphError', code: 999 },
    late: 'deadline',
  }),
  variant('upload ok', { type: 'xstate.done.actor.uploadVideo', output: { size: 1, sent: 1, at: 2 } } as EventObject, { kind: 'upload' }),
  variant('upload reset', { type: 'xstate.error.actor.uploadVideo', error: failure('retry-later') } as EventObject, { kind: 'upload', fault: 'reset' }),
  variant('upload refused', { type: 'xstate.error.actor.uploadVideo', error: failure('invalid-input') } as EventObject, { kind: 'upload', fault: 'refused' }),
  variant('upload 190', { type: 'xstate.error.actor.uploadVideo', error: failure('auth') } as EventObject, { kind: 'upload', fault: 'auth' }),
  variant('upload unknown', { type: 'xstate.error.actor.uploadVideo', error: failure('unknown') } as EventObject, { kind: 'upload', fault: 'unknown' }),
  variant('upload reset late', { type: 'xstate.error.actor.uploadVideo', error: { ...failure('retry-later'), at: 1e15 } } as EventObject, { kind: 'upload', fault: 'late' }),
  variant('wait', { type: 'xstate.done.actor.wait', output: { at: 2 } } as EventObject, { kind: 'wait' }),
  // a crash during a wait: a wait for a new token ends, the others are announced anew
  variant('restored', { type: 'RESTORED' }, { kind: 'restore' }, (s) =>
    ['blocked', 'creating.backingOff', 'uploading.backingOff', 'errorRetryable'].some((state) => s.matches(state)) || (s.matches('polling') && s.context.failingSince !== undefined),
  ),
];

const containerDone = (outcome: 'finished' | 'published' | 'failed' | 'expired', id = 'container') => ({
  type: `xstate.done.actor.${id}`,
  output:
    outcome === 'failed'
      ? { outcome, containerId: undefined, error: failure('invalid-input').error }
      : { outcome, containerId: 'c', createdAt: 0 },
});

/** Reschedules, as the runner tells them: to an hour ahead (a container made now lives then) or to three days ahead (it does not). */
const NEAR_MS = 3_600_000;
const FAR_MS = 3 * 86_400_000;
const rescheduled = (afterMs: number) => ({ type: 'RESCHEDULE', publishAt: afterMs, at: 0 }) as EventObject;
/** At most one reschedule a path, before the publish (a reschedule after the pre-publish checkpoint is refused before it reaches a machine). */
const notRescheduled: Variant['when'] = (s) => s.context.publishAt !== NEAR_MS && s.context.publishAt !== FAR_MS;
/** The reschedule variants of a machine, where `inStates` accept them. */
const rescheduleVariants = (inStates: readonly string[]): Variant[] => [
  variant('rescheduled near', rescheduled(NEAR_MS), { kind: 'reschedule', afterMs: NEAR_MS }, (s) => notRescheduled(s) && inStates.some((state) => s.matches(state))),
  variant('rescheduled far', rescheduled(FAR_MS), { kind: 'reschedule', afterMs: FAR_MS }, (s) => notRescheduled(s) && inStates.some((state) => s.matches(state))),
];

/** The post machine's events: nested container outcomes and its own effects' results. */
export const postVariants: readonly Variant[] = [
  variant('start', { type: 'START' }, { kind: 'start' }),
  variant('container finished', containerDone('finished'), { kind: 'plan', actor: 'container', outcome: 'finished' }),
  variant('container published', containerDone('published'), { kind: 'plan', actor: 'container', outcome: 'published' }),
  variant('container failed', containerDone('failed'), { kind: 'plan', actor: 'container', outcome: 'failed' }),
  variant('publish ok', { type: 'xstate.done.actor.publishContainer', output: { mediaId: 'm', at: 2 } } as EventObject, { kind: 'publish' }),
  variant('publish 9007', { type: 'xstate.error.actor.publishContainer', error: failure('not-ready') } as EventObject, {
    kind: 'publish',
    fault: { type: 'graphError', code: 9007, subcode: 2207027 },
  }),
  variant('publish quota', { type: 'xstate.error.actor.publishContainer', error: failure('quota') } as EventObject, { kind: 'publish', fault: { type: 'quotaFull' } }),
  variant('publish ambiguous', { type: 'xstate.error.actor.publishContainer', error: failure('ambiguous') } as EventObject, { kind: 'publish', fault: { type: 'ambiguous' } }),
  variant('publish refused', { type: 'xstate.error.actor.publishContainer', error: failure('retry-later') } as EventObject, { kind: 'publish', fault: { type: 'refused' } }),
  variant('publish 190', { type: 'xstate.error.actor.publishContainer', error: failure('auth') } as EventObject, { kind: 'publish', fault: { type: 'graphError', code: 190 } }),
  // verifying reads the container: PUBLISHED, FINISHED (twice, across a grace period) or gone
  variant('verify published', status('PUBLISHED', undefined, 3), { kind: 'verify', outcome: 'published' }),
  variant('verify not-published', status('FINISHED', undefined, 3), { kind: 'verify', outcome: 'not-published' }),
  variant('verify expired', status('EXPIRED', undefined, 3), { kind: 'verify', outcome: 'expired' }),
  variant('verify 500', { type: 'xstate.error.actor.readStatus', error: failure('retry-later') } as EventObject, { kind: 'verify-fail', fault: { type: 'http500' } }),
  // an error no catalogue row knows is retried a bounded number of times, not for a day
  variant('verify unknown', { type: 'xstate.error.actor.readStatus', error: failure('unknown') } as EventObject, { kind: 'verify-fail', fault: { type: 'graphError', code: 999 } }),
  variant('media found', { type: 'xstate.done.actor.findMedia', output: { mediaId: 'm', at: 3 } } as EventObject, { kind: 'find' }),
  // the first comment runs as a machine of its own (test/engine/first-comment.test.ts): here it just ends
  variant('comment done', { type: 'xstate.done.actor.comment', output: { outcome: 'posted', commentId: 'cm' } } as EventObject, { kind: 'plan', actor: 'comment', outcome: 'published' }, inState('commenting')),
  variant('verify 190', { type: 'xstate.error.actor.readStatus', error: failure('auth') } as EventObject, { kind: 'verify-fail', fault: { type: 'graphError', code: 190 } }),
  variant('wait', { type: 'xstate.done.actor.wait', output: { at: 2 } } as EventObject, { kind: 'wait' }),
  // a restore while a carousel prepares is the carousel paths' business (its items race the restore here)
  variant('restored', { type: 'RESTORED' }, { kind: 'restore' }, (s) =>
    ['publishing', 'waitingQuota', 'waitingAuth', 'scheduled', 'ready', 'retryingPublish', 'verifying', 'commenting'].some((state) => s.matches(state)) ||
    (s.matches('preparing') && (s.context.plan as { kind?: string } | undefined)?.kind !== 'carousel'),
  ),
  // right after Instagram refused a publish as over the daily limit, the check cannot find room
  // the last lease check before a publish finds this worker's lease gone
  variant('lease lost', { type: 'LEASE_LOST', reason: 'path' } as EventObject, { kind: 'lease-lost' }, inState('publishing')),
  variant('quota ok', { type: 'xstate.done.actor.checkQuota', output: { ok: true, wakeAt: undefined, used: 0, total: 100, at: 2 } } as EventObject, { kind: 'quota', full: false }, (s) => s.context.serverSaidFull !== true),
  // a wait (or a process down) outlasted the container: the check that finds room finds it dead too
  variant('quota ok, container outlived', { type: 'xstate.done.actor.checkQuota', output: { ok: true, wakeAt: undefined, used: 0, total: 100, at: CONTAINER_LIFETIME_MS } } as EventObject, { kind: 'quota', full: false, outlived: true }, (s) => s.context.serverSaidFull !== true && s.context.container !== undefined),
  variant('quota full', { type: 'xstate.done.actor.checkQuota', output: { ok: false, wakeAt: 3_600_000, used: 0, total: 0, at: 2 } } as EventObject, { kind: 'quota', full: true }),
  variant('quota check fails', { type: 'xstate.error.actor.checkQuota', error: failure('unknown') } as EventObject, { kind: 'quota-fail' }),
  // a carousel's items race the reschedule: the carousel paths cover preparing; here a single container
  ...rescheduleVariants(['scheduled', 'ready', 'checkingQuota', 'waitingQuota']),
  ...rescheduleVariants(['preparing']).map((v) => ({ ...v, when: (s: Parameters<NonNullable<Variant['when']>>[0]) => v.when!(s) && (s.context.plan as { kind?: string } | undefined)?.kind !== 'carousel' })),
];

/** The carousel machine's events: its items' and its parent's outcomes. */
export const carouselVariants: readonly Variant[] = [
  ...[0, 1].flatMap((i) => [
    variant(`item-${i} finished`, containerDone('finished', `item-${i}`) as EventObject, { kind: 'plan', actor: `item-${i}`, outcome: 'finished' }, inState('items')),
    variant(`item-${i} failed`, containerDone('failed', `item-${i}`) as EventObject, { kind: 'plan', actor: `item-${i}`, outcome: 'failed' }, inState('items')),
  ]),
  ...(['finished', 'published', 'expired', 'failed'] as const).map((outcome) =>
    variant(`parent ${outcome}`, containerDone(outcome, 'parent') as EventObject, { kind: 'plan', actor: 'parent', outcome }, inState('parent')),
  ),
  variant('restored', { type: 'RESTORED' }, { kind: 'restore' }, (s) => s.matches('items') || s.matches('parent')),
];

/** The stories machine's events: each story's outcome, and a restore while one is publishing. */
export const storiesVariants: readonly Variant[] = [
  variant('start', { type: 'START' }, { kind: 'start' }),
  variant('story published', { type: 'xstate.done.actor.story', output: { outcome: 'published', mediaId: 'm', containerId: 'c' } } as EventObject, { kind: 'plan', actor: 'story', outcome: 'published' }),
  variant('story failed', { type: 'xstate.done.actor.story', output: { outcome: 'failed', containerId: undefined, error: failure('invalid-input').error } } as EventObject, {
    kind: 'plan',
    actor: 'story',
    outcome: 'failed',
  }),
  variant('restored', { type: 'RESTORED' }, { kind: 'restore' }),
  variant('lease lost', { type: 'LEASE_LOST', reason: 'path' } as EventObject, { kind: 'lease-lost' }, inState('posting')),
  variant('story interrupted', { type: 'xstate.done.actor.story', output: { outcome: 'interrupted', reason: 'lease lost' } } as EventObject, { kind: 'plan', actor: 'story', outcome: 'interrupted' }),
  // before the first story's publish only (a reschedule is refused after it)
  ...rescheduleVariants(['posting']).filter((v) => v.label === 'rescheduled near').map((v) => ({ ...v, when: (s: Parameters<NonNullable<Variant['when']>>[0]) => v.when!(s) && s.context.index === 0 })),
];
