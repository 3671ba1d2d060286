import { assign, enqueueActions, sendTo, setup } from 'xstate';
import type { ContainerParams } from '../graph/client.js';
import type { ErrorJson } from '../graph/igflow-error.js';
import { containerMachine, type ContainerLimits, type ContainerOutput, type ContainerRef } from './container-machine.js';
import type { EffectScope } from './effect-contract.js';
import { containerProblem } from './step-failure.js';
import type { MediaKind } from '../spec/container-plan.js';
import { carouselParentParams } from '../spec/graph-params.js';
import type { CarouselParentBase } from '../spec/graph-container-params.js';

/** One carousel item's container parameters. */
export interface CarouselItemPlan {
  readonly params: ContainerParams;
  readonly media: MediaKind;
}

/** Input of the carousel machine. */
export interface CarouselInput extends EffectScope {
  readonly unitMs: number;
  /** Bounds of every item's and the parent's container. */
  readonly containerLimits?: Partial<ContainerLimits> | undefined;
  readonly items: readonly CarouselItemPlan[];
  /** The parent's parameters without `children` (added from the finished items' ids), and its media kind. */
  readonly parent: { readonly params: CarouselParentBase; readonly media: MediaKind };
  /** Containers made earlier, re-read before reuse (after a parent expired or failed to publish). */
  readonly existing?: { readonly children: readonly (ContainerRef | undefined)[]; readonly parent: ContainerRef | undefined } | undefined;
}

/** The carousel machine's context. */
export interface CarouselContext extends EffectScope {
  readonly unitMs: number;
  readonly containerLimits: Partial<ContainerLimits>;
  readonly items: readonly CarouselItemPlan[];
  readonly parentPlan: { readonly params: CarouselParentBase; readonly media: MediaKind };
  /** The latest container per item. */
  readonly children: readonly (ContainerRef | undefined)[];
  /** Which items are FINISHED in the current round. */
  readonly done: readonly boolean[];
  readonly parent: ContainerRef | undefined;
  /** How many parents expired and were made again. */
  readonly parentRounds: number;
  readonly error: ErrorJson | undefined;
}

/** Parents re-made after expiring before the carousel gives up. */
const MAX_PARENT_ROUNDS = 3;

type ItemDone = { type: `xstate.done.actor.item-${number}`; output: ContainerOutput };
type CarouselEvent =
  | ItemDone
  /** Sent down by the post after a restore: passed on to every item and the parent. */
  | { type: 'RESTORED' }
  | { type: 'xstate.done.actor.parent'; output: ContainerOutput }
  | { type: 'xstate.error.actor.parent'; error: unknown };

const itemIndex = (event: { type: string }): number => Number(event.type.slice('xstate.done.actor.item-'.length));
const itemId = (index: number) => `item-${index}`;

/** The parent's parameters: `children` is the items' ids joined in item order (graph-api-facts.md §2). */
const parentParams = (context: CarouselContext): ContainerParams =>
  carouselParentParams(
    context.parentPlan.params,
    context.children.map((c) => c?.containerId ?? ''),
  );

const itemOutcome = (event: CarouselEvent): ContainerOutput | undefined => ('output' in event ? event.output : undefined);

/**
 * A carousel: one container machine per item, spawned under the string key
 * `container` as `item-0`…`item-9` (so snapshots restore them), the parent
 * created only when every item is FINISHED. An item that errors or expires is
 * recreated alone (by its own machine); a parent that expires is made again
 * from the same items after each is re-read (and recreated if it expired
 * too). The output has the shape of a container's.
 */
export const carouselMachine = setup({
  types: {
    context: {} as CarouselContext,
    events: {} as CarouselEvent,
    input: {} as CarouselInput,
    output: {} as ContainerOutput,
  },
  actors: { container: containerMachine },
  guards: {
    allItemsFinished: ({ context }) => context.done.length > 0 && context.done.every(Boolean),
    itemFailed: ({ event }) => itemOutcome(event)?.outcome === 'failed',
    parentFinished: ({ event }) => itemOutcome(event)?.outcome === 'finished',
    parentPublished: ({ event }) => itemOutcome(event)?.outcome === 'published',
    parentExpired: ({ event }) => itemOutcome(event)?.outcome === 'expired',
    parentRoundsLeft: ({ context }) => context.parentRounds < MAX_PARENT_ROUNDS,
  },
  actions: {
    spawnItems: enqueueActions(({ context, enqueue }) => {
      context.items.forEach((item, index) => {
        enqueue.spawnChild('container', {
          id: itemId(index),
          input: {
            postId: context.postId,
            account: context.account,
            role: 'carousel-child',
            params: item.params,
            media: item.media,
            unitMs: context.unitMs,
            limits: context.containerLimits,
            existing: context.children[index],
          },
        });
      });
    }),
    startRound: assign(({ context }) => ({ done: context.items.map(() => false) })),
    recordItem: assign(({ context, event }) => {
      const outcome = itemOutcome(event);
      if (outcome === undefined || outcome.outcome === 'failed' || outcome.outcome === 'expired') return {};
      const index = itemIndex(event);
      const children = context.children.map((c, i) => (i === index ? { containerId: outcome.containerId, createdAt: outcome.createdAt } : c));
      return { children, done: context.done.map((d, i) => d || i === index) };
    }),
    recordItemFailure: assign(({ event }) => {
      const outcome = itemOutcome(event);
      const index = itemIndex(event);
      const cause = outcome?.outcome === 'failed' ? outcome.error : undefined;
      return {
        error: cause
          ? { ...cause, message: `carousel item ${index + 1}: ${cause.message}` }
          : containerProblem({ errorClass: 'unknown', message: `carousel item ${index + 1} failed`, remedy: 'Report it.' }),
      };
    }),
    forwardRestoredToItems: enqueueActions(({ context, enqueue }) => {
      context.done.forEach((done, index) => {
        if (!done) enqueue.sendTo(itemId(index), { type: 'RESTORED' });
      });
    }),
    forwardRestoredToParent: sendTo('parent', { type: 'RESTORED' }),
    stopItems: enqueueActions(({ context, enqueue }) => {
      context.items.forEach((_item, index) => enqueue.stopChild(itemId(index)));
    }),
    recordParent: assign(({ event }) => {
      const outcome = itemOutcome(event);
      return outcome && (outcome.outcome === 'finished' || outcome.outcome === 'published')
        ? { parent: { containerId: outcome.containerId, createdAt: outcome.createdAt } }
        : {};
    }),
    forgetParent: assign(({ context }) => ({ parent: undefined, parentRounds: context.parentRounds + 1 })),
    recordParentFailure: assign(({ event }) => {
      const outcome = itemOutcome(event);
      return {
        error:
          outcome?.outcome === 'failed'
            ? outcome.error
            : containerProblem({
                errorClass: 'recreate-container',
                message: `the carousel's parent container expired ${MAX_PARENT_ROUNDS + 1} times`,
                remedy: 'Containers live 24 hours: publish sooner after creating them.',
              }),
      };
    }),
  },
}).createMachine({
  id: 'carousel',
  context: ({ input }) => ({
    postId: input.postId,
    account: input.account,
    unitMs: input.unitMs,
    containerLimits: input.containerLimits ?? {},
    items: input.items,
    parentPlan: input.parent,
    children: input.items.map((_item, i) => input.existing?.children[i]),
    done: [],
    parent: input.existing?.parent,
    parentRounds: 0,
    error: undefined,
  }),
  initial: 'items',
  states: {
    items: {
      entry: ['startRound', 'spawnItems'],
      on: {
        RESTORED: { actions: 'forwardRestoredToItems' },
        'xstate.done.actor.*': [
          { guard: 'itemFailed', target: 'failed', actions: ['recordItemFailure', 'stopItems'] },
          { actions: 'recordItem' },
        ],
      },
      always: { guard: 'allItemsFinished', target: 'parent' },
    },
    parent: {
      on: { RESTORED: { actions: 'forwardRestoredToParent' } },
      invoke: {
        src: 'container',
        id: 'parent',
        input: ({ context }) => ({
          postId: context.postId,
          account: context.account,
          role: 'carousel-parent' as const,
          params: parentParams(context),
          media: context.parentPlan.media,
          unitMs: context.unitMs,
          limits: context.containerLimits,
          existing: context.parent,
        }),
        onDone: [
          { guard: 'parentFinished', target: 'ready', actions: 'recordParent' },
          { guard: 'parentPublished', target: 'alreadyPublished', actions: 'recordParent' },
          { guard: 'parentExpired', target: 'parentExpired' },
          { target: 'failed', actions: 'recordParentFailure' },
        ],
      },
    },
    parentExpired: {
      always: [
        { guard: 'parentRoundsLeft', target: 'items', actions: 'forgetParent' },
        { target: 'failed', actions: 'recordParentFailure' },
      ],
    },
    ready: {
      type: 'final',
      output: ({ context }) => ({
        outcome: 'finished' as const,
        containerId: context.parent?.containerId ?? '',
        createdAt: context.parent?.createdAt ?? 0,
        children: context.children,
      }),
    },
    alreadyPublished: {
      type: 'final',
      output: ({ context }) => ({
        outcome: 'published' as const,
        containerId: context.parent?.containerId ?? '',
        createdAt: context.parent?.createdAt ?? 0,
        children: context.children,
      }),
    },
    failed: {
      type: 'final',
      output: ({ context }) => ({
        outcome: 'failed' as const,
        containerId: context.parent?.containerId,
        error: context.error ?? containerProblem({ errorClass: 'unknown', message: 'carousel failed', remedy: 'Report it.' }),
      }),
    },
  },
  output: ({ event }) => (event as unknown as { output: ContainerOutput }).output,
});
