import { assign, enqueueActions, sendTo, setup } from 'xstate';
import type { ErrorJson } from '../graph/igflow-error.js';
import type { PlanEntry } from '../spec/container-plan.js';
import type { CarouselParentBase } from '../spec/graph-container-params.js';
import { carouselParentParams } from '../spec/graph-params.js';
import type { MediaKind } from '../spec/container-plan.js';
import { createContainerMachine, type ContainerLimits, type ContainerOutput, type ContainerRef } from './container-machine.js';
import type { EffectScope } from './effect-contract.js';
import type { MachineEmitted } from './progress.js';
import { containerProblem } from './step-failure.js';
import { defaultTiming, type Timing } from './timing.js';

/** Input of the carousel machine. */
export interface CarouselInput extends EffectScope {
  readonly items: readonly PlanEntry[];
  /** The parent's parameters without `children` (added from the finished items' ids), and its media kind. */
  readonly parent: { readonly params: CarouselParentBase; readonly media: MediaKind };
  /** Bounds of every item's and the parent's container. */
  readonly containerLimits?: Partial<ContainerLimits> | undefined;
  /** Containers made earlier, re-read before reuse (after a parent expired or failed to publish). */
  readonly existing?: { readonly children: readonly (ContainerRef | undefined)[]; readonly parent: ContainerRef | undefined } | undefined;
}

/** The carousel machine's context. */
export interface CarouselContext extends EffectScope {
  readonly containerLimits: Partial<ContainerLimits>;
  readonly items: readonly PlanEntry[];
  readonly parentPlan: { readonly params: CarouselParentBase; readonly media: MediaKind };
  /** The latest container per item. */
  readonly children: readonly (ContainerRef | undefined)[];
  /** Which items are FINISHED in the current round. */
  readonly done: readonly boolean[];
  readonly parent: ContainerRef | undefined;
  /** How many parents expired and were made again. */
  readonly parentRounds: number;
  readonly error: ErrorJson | undefined;
  readonly outcome: ContainerOutput | undefined;
}

/** Parents re-made after expiring before the carousel gives up. */
const MAX_PARENT_ROUNDS = 3;

type ItemDone = { type: `xstate.done.actor.item-${number}`; output: ContainerOutput };
type CarouselEvent =
  | ItemDone
  | { type: 'xstate.done.actor.parent'; output: ContainerOutput }
  /** Sent down by the post after a restore: passed on to every running item and the parent. */
  | { type: 'RESTORED' };

const itemIndex = (event: { type: string }): number => Number(event.type.slice('xstate.done.actor.item-'.length));
const itemId = (index: number) => `item-${index}`;
const itemOutcome = (event: CarouselEvent): ContainerOutput | undefined => ('output' in event ? event.output : undefined);

/**
 * Builds the carousel machine on a {@link Timing}: one container machine
 * per item, spawned under the string key `container` as `item-0`…`item-9`
 * (so snapshots restore them), the parent created only when every item is
 * FINISHED, its `children` the items' ids in item order. An item that
 * errors or expires is recreated alone (by its own machine); a parent that
 * expires is made again from the same items after each is re-read (and
 * recreated if it expired too). The output has the shape of a container's.
 */
export function createCarouselMachine(timing: Timing) {
  return setup({
    types: {
      context: {} as CarouselContext,
      events: {} as CarouselEvent,
      input: {} as CarouselInput,
      output: {} as ContainerOutput,
      emitted: {} as MachineEmitted,
    },
    actors: { container: createContainerMachine(timing) },
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
              upload: item.upload,
              limits: context.containerLimits,
              // a snapshot read back from JSON holds null where an item was forgotten
            existing: context.children[index] ?? undefined,
              item: index,
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
      stopItems: enqueueActions(({ context, enqueue }) => {
        context.items.forEach((_item, index) => enqueue.stopChild(itemId(index)));
      }),
      forwardRestoredToItems: enqueueActions(({ context, enqueue }) => {
        context.done.forEach((done, index) => {
          if (!done) enqueue.sendTo(itemId(index), { type: 'RESTORED' });
        });
      }),
      forwardRestoredToParent: sendTo('parent', { type: 'RESTORED' }),
      recordParent: assign(({ event }) => {
        const outcome = itemOutcome(event);
        return outcome && (outcome.outcome === 'finished' || outcome.outcome === 'published') ? { parent: { containerId: outcome.containerId, createdAt: outcome.createdAt } } : {};
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
      endReady: assign(({ context }) => ({
        outcome: { outcome: 'finished' as const, containerId: context.parent?.containerId ?? '', createdAt: context.parent?.createdAt ?? 0, children: context.children },
      })),
      endPublished: assign(({ context }) => ({
        outcome: { outcome: 'published' as const, containerId: context.parent?.containerId ?? '', createdAt: context.parent?.createdAt ?? 0, children: context.children },
      })),
      endFailed: assign(({ context }) => ({
        outcome: {
          outcome: 'failed' as const,
          containerId: context.parent?.containerId,
          error: context.error ?? containerProblem({ errorClass: 'unknown', message: 'carousel failed', remedy: 'Report it.' }),
        },
      })),
    },
  }).createMachine({
    id: 'carousel',
    context: ({ input }) => ({
      postId: input.postId,
      account: input.account,
      containerLimits: input.containerLimits ?? {},
      items: input.items,
      parentPlan: input.parent,
      children: input.items.map((_item, i) => input.existing?.children[i] ?? undefined),
      done: [],
      parent: input.existing?.parent,
      parentRounds: 0,
      error: undefined,
      outcome: undefined,
    }),
    initial: 'items',
    states: {
      items: {
        entry: ['startRound', 'spawnItems'],
        on: {
          RESTORED: { actions: 'forwardRestoredToItems' },
          'xstate.done.actor.*': [{ guard: 'itemFailed', target: 'failed', actions: ['recordItemFailure', 'stopItems'] }, { actions: 'recordItem' }],
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
            // children: the items' ids joined in item order (docs/graph-api.md#carousels)
            params: carouselParentParams(
              context.parentPlan.params,
              context.children.map((c) => c?.containerId ?? ''),
            ),
            media: context.parentPlan.media,
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
        always: [{ guard: 'parentRoundsLeft', target: 'items', actions: 'forgetParent' }, { target: 'failed', actions: 'recordParentFailure' }],
      },
      ready: { type: 'final', entry: 'endReady' },
      alreadyPublished: { type: 'final', entry: 'endPublished' },
      failed: { type: 'final', entry: 'endFailed' },
    },
    output: ({ context }) =>
      context.outcome ?? { outcome: 'failed', containerId: undefined, error: containerProblem({ errorClass: 'unknown', message: 'carousel ended without an outcome', remedy: 'Report it.' }) },
  });
}

/** The carousel machine on the default timing. */
export const carouselMachine = createCarouselMachine(defaultTiming);
