import { assign, emit, sendTo, setup } from 'xstate';
import type { ErrorJson } from '../graph/igflow-error.js';
import type { PlanEntry } from '../spec/container-plan.js';
import type { ContainerLimits } from './container-machine.js';
import type { EffectScope } from './effect-contract.js';
import { storyMatch } from './media-match.js';
import type { LiveStory, MachineOutcome } from './outcome.js';
import { createPostMachine, type PostInput, type PostLimits } from './post-machine.js';
import type { MachineEmitted } from './progress.js';
import { defaultTiming, type Timing } from './timing.js';

/** Input of the stories machine: the parsed stories of a `stories` spec, in order. */
export interface StoriesInput extends EffectScope {
  readonly items: readonly PlanEntry[];
  /** Nothing is published before this (epoch ms). */
  readonly publishAt?: number | undefined;
  readonly limits?: Partial<PostLimits> | undefined;
  /** Bounds of each story's container. */
  readonly containerLimits?: Partial<ContainerLimits> | undefined;
}

/** The stories machine's context. */
export interface StoriesContext extends EffectScope {
  readonly items: readonly PlanEntry[];
  readonly publishAt: number | undefined;
  readonly limits: Partial<PostLimits> | undefined;
  readonly containerLimits: Partial<ContainerLimits> | undefined;
  /** The story being published now. */
  readonly index: number;
  readonly published: readonly LiveStory[];
  readonly error: ErrorJson | undefined;
  readonly outcome: MachineOutcome | undefined;
}

type StoriesEvent =
  | { type: 'xstate.done.actor.story'; output: MachineOutcome }
  | { type: 'START' }
  | { type: 'RESTORED' }
  | { type: 'LEASE_LOST'; reason: string }
  /** The sequence goes live at `publishAt` now (a reschedule, before its first publish): told to the story under way. */
  | { type: 'RESCHEDULE'; publishAt: number; at: number };

const storyOutcome = (event: StoriesEvent) => (event.type === 'xstate.done.actor.story' ? event.output : undefined);

/**
 * Builds the stories machine on a {@link Timing}: a sequence of stories,
 * published strictly one after another, in order
 * (docs/graph-api.md#stories-in-sequence): each story is a post machine
 * invoked under the string key `story`. A failure stops the rest and the
 * output lists the stories already live.
 */
export function createStoriesMachine(timing: Timing) {
  return setup({
    types: {
      context: {} as StoriesContext,
      events: {} as StoriesEvent,
      input: {} as StoriesInput,
      output: {} as MachineOutcome,
      emitted: {} as MachineEmitted,
    },
    actors: { story: createPostMachine(timing) },
    guards: {
      storyPublished: ({ event }) => storyOutcome(event)?.outcome === 'published',
      storyInterrupted: ({ event }) => storyOutcome(event)?.outcome === 'interrupted',
      moreStories: ({ context }) => context.index + 1 < context.items.length,
    },
    actions: {
      announce: emit((_, params: { state: string }) => ({ type: 'state' as const, state: params.state })),
      forwardRestored: sendTo('story', { type: 'RESTORED' }),
      forwardReschedule: sendTo('story', ({ event }) => (event.type === 'RESCHEDULE' ? event : { type: 'RESTORED' as const })),
      takeNewTime: assign(({ event }) => (event.type === 'RESCHEDULE' ? { publishAt: event.publishAt } : {})),
      startStory: sendTo('story', { type: 'START' }),
      recordStory: assign(({ context, event }) => {
        const outcome = storyOutcome(event);
        if (outcome?.outcome !== 'published') return {};
        return { published: [...context.published, { index: context.index, mediaId: outcome.mediaId, containerId: outcome.containerId }] };
      }),
      nextStory: assign(({ context }) => ({ index: context.index + 1 })),
      recordFailure: assign(({ context, event }) => {
        const outcome = storyOutcome(event);
        if (outcome?.outcome !== 'failed') return {};
        const live = context.published.length;
        return {
          error: {
            ...outcome.error,
            message: `story ${context.index + 1} of ${context.items.length}: ${outcome.error.message} (${live} ${live === 1 ? 'story was' : 'stories were'} published before it; the rest were not sent)`,
          },
        };
      }),
      endPublished: assign(({ context }) => ({
        outcome: { outcome: 'published' as const, mediaId: context.published.at(-1)?.mediaId ?? null, containerId: context.published.at(-1)?.containerId ?? '', stories: [...context.published] },
      })),
      endFailed: assign(({ context }) => ({
        outcome: {
          outcome: 'failed' as const,
          stories: [...context.published],
          error: context.error ?? { name: 'Error', errorClass: 'unknown' as const, retryable: true, message: 'stories failed', remedy: 'Report it.' },
        },
      })),
      passInterruption: assign(({ event }) => ({ outcome: storyOutcome(event) })),
      endInterrupted: assign(({ event }) => ({ outcome: { outcome: 'interrupted' as const, reason: event.type === 'LEASE_LOST' ? event.reason : 'the lease on this post was lost' } })),
    },
  }).createMachine({
    id: 'stories',
    context: ({ input }) => ({
      postId: input.postId,
      account: input.account,
      items: input.items,
      publishAt: input.publishAt,
      limits: input.limits,
      containerLimits: input.containerLimits,
      index: 0,
      published: [],
      error: undefined,
      outcome: undefined,
    }),
    // stored, not started: the runner that claims a new post sends START
    initial: 'accepted',
    on: { LEASE_LOST: { target: '.interrupted', actions: 'endInterrupted' } },
    states: {
      accepted: { on: { START: 'posting' } },
      posting: {
        // the story is started once it exists (its invocation comes after this state's entry), as the runner starts a post
        initial: 'starting',
        states: {
          starting: { always: { target: 'running', actions: 'startStory' } },
          running: {},
        },
        invoke: {
          src: 'story',
          id: 'story',
          input: ({ context }): PostInput => {
            const entry = context.items[context.index] ?? { media: 'image', params: {} };
            return {
              postId: context.postId,
              account: context.account,
              plan: { kind: 'single', media: entry.media, params: entry.params, ...(entry.upload === undefined ? {} : { upload: entry.upload }) },
              // never an earlier story's media
              match: storyMatch(entry.media, context.published.flatMap((story) => (story.mediaId === null ? [] : [story.mediaId]))),
              publishAt: context.publishAt,
              limits: context.limits,
              containerLimits: context.containerLimits,
              story: context.index,
            };
          },
          onDone: [
            { guard: 'storyPublished', target: 'nextStory', actions: 'recordStory' },
            { guard: 'storyInterrupted', target: 'interrupted', actions: 'passInterruption' },
            { target: 'failed', actions: 'recordFailure' },
          ],
        },
        on: { RESTORED: { actions: 'forwardRestored' }, RESCHEDULE: { actions: ['takeNewTime', 'forwardReschedule'] } },
      },
      nextStory: {
        always: [{ guard: 'moreStories', target: 'posting', actions: 'nextStory' }, { target: 'published' }],
      },
      published: { type: 'final', entry: ['endPublished', { type: 'announce', params: { state: 'published' } }] },
      failed: { type: 'final', entry: ['endFailed', { type: 'announce', params: { state: 'failed' } }] },
      interrupted: { type: 'final' },
    },
    output: ({ context }) => context.outcome ?? { outcome: 'interrupted', reason: 'the stories machine ended without an outcome' },
  });
}

/** The stories machine on the default timing. */
export const storiesMachine = createStoriesMachine(defaultTiming);
