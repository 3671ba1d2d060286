import { assign, sendTo, setup } from 'xstate';
import type { ErrorJson } from '../graph/igflow-error.js';
import type { Login } from '../spec/post-spec.js';
import type { StoriesSpec } from '../spec/story-spec.js';
import { validatePostSpec } from '../spec/validate.js';
import type { EffectScope } from './effect-contract.js';
import { invalidSpecError } from './invalid-spec.js';
import type { ContainerLimits } from './container-machine.js';
import { postMachine, type PostInput, type PostLimits, type PostOutput } from './post-machine.js';

/** Input of the stories machine. */
export interface StoriesInput extends EffectScope {
  /** A `stories` spec as the user gave it; validated again on start. */
  readonly spec: unknown;
  readonly login?: Login | undefined;
  readonly unitMs: number;
  readonly limits?: Partial<PostLimits> | undefined;
  /** Bounds of each story's container. */
  readonly containerLimits?: Partial<ContainerLimits> | undefined;
}

/** One story of the sequence that is live. */
export interface PublishedStory {
  readonly index: number;
  readonly mediaId: string | undefined;
  readonly containerId: string;
}

/** How a sequence of stories ended; a failure says which stories are already live. */
export type StoriesOutput =
  | { readonly outcome: 'published'; readonly mediaId: string | undefined; readonly stories: readonly PublishedStory[] }
  | { readonly outcome: 'failed'; readonly error: ErrorJson; readonly stories: readonly PublishedStory[] };

/** The stories machine's context. */
export interface StoriesContext extends EffectScope {
  readonly spec: unknown;
  readonly login: Login;
  readonly unitMs: number;
  readonly limits: Partial<PostLimits> | undefined;
  readonly containerLimits: Partial<ContainerLimits> | undefined;
  readonly items: StoriesSpec['items'];
  readonly publishAt: string | undefined;
  /** The story being published now. */
  readonly index: number;
  readonly published: readonly PublishedStory[];
  readonly error: ErrorJson | undefined;
}

type StoriesEvent = { type: 'xstate.done.actor.story'; output: PostOutput } | { type: 'RESTORED' };

const storyOutcome = (event: StoriesEvent) => (event.type === 'xstate.done.actor.story' ? event.output : undefined);

/**
 * A sequence of stories, published strictly one after another, in order
 * (graph-api-facts.md §2): each story is a post machine invoked under the
 * string key `story`. A failure stops the rest and the output lists the
 * stories already live.
 */
export const storiesMachine = setup({
  types: {
    context: {} as StoriesContext,
    events: {} as StoriesEvent,
    input: {} as StoriesInput,
    output: {} as StoriesOutput,
  },
  actors: { story: postMachine },
  guards: {
    specIsValid: ({ context }) => {
      const result = validatePostSpec(context.spec, { login: context.login });
      return result.ok && result.spec.kind === 'stories';
    },
    storyPublished: ({ event }) => storyOutcome(event)?.outcome === 'published',
    moreStories: ({ context }) => context.index + 1 < context.items.length,
  },
  actions: {
    readSpec: assign(({ context }) => {
      const result = validatePostSpec(context.spec, { login: context.login });
      return result.ok && result.spec.kind === 'stories' ? { items: result.spec.items, publishAt: result.spec.publishAt } : {};
    }),
    recordInvalid: assign(({ context }) => ({ error: invalidSpecError(context.spec, context.login, 'not a stories spec') })),
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
  },
}).createMachine({
  id: 'stories',
  context: ({ input }) => ({
    postId: input.postId,
    account: input.account,
    spec: input.spec,
    login: input.login ?? 'instagram',
    unitMs: input.unitMs,
    limits: input.limits,
    containerLimits: input.containerLimits,
    items: [],
    publishAt: undefined,
    index: 0,
    published: [],
    error: undefined,
  }),
  initial: 'validating',
  states: {
    validating: {
      always: [{ guard: 'specIsValid', target: 'posting', actions: 'readSpec' }, { target: 'failed', actions: 'recordInvalid' }],
    },
    posting: {
      invoke: {
        src: 'story',
        id: 'story',
        input: ({ context }): PostInput => ({
          postId: context.postId,
          account: context.account,
          login: context.login,
          unitMs: context.unitMs,
          limits: context.limits,
          containerLimits: context.containerLimits,
          knownMediaIds: context.published.flatMap((story) => (story.mediaId === undefined ? [] : [story.mediaId])),
          spec: { kind: 'story', ...context.items[context.index], ...(context.publishAt ? { publishAt: context.publishAt } : {}) },
        }),
        onDone: [
          { guard: 'storyPublished', target: 'nextStory', actions: 'recordStory' },
          { target: 'failed', actions: 'recordFailure' },
        ],
      },
      on: { RESTORED: { actions: sendTo('story', { type: 'RESTORED' }) } },
    },
    nextStory: {
      always: [{ guard: 'moreStories', target: 'posting', actions: 'nextStory' }, { target: 'published' }],
    },
    published: {
      type: 'final',
      output: ({ context }) => ({ outcome: 'published' as const, mediaId: context.published.at(-1)?.mediaId, stories: context.published }),
    },
    failed: {
      type: 'final',
      output: ({ context }) => ({
        outcome: 'failed' as const,
        stories: context.published,
        error: context.error ?? { name: 'Error', errorClass: 'unknown' as const, retryable: true, message: 'stories failed', remedy: 'Report it.' },
      }),
    },
  },
  output: ({ event }) => (event as unknown as { output: StoriesOutput }).output,
});
