import { fail, ok, type Answer, type HandlerContext } from './answer.js';
import { statusAt } from './container-status.js';
import { checkCreate, shapeOf, type ChildView, type CreateShape } from './create-rules.js';
import type { OutcomeFault } from './fault-schema.js';
import { str } from './params.js';
import { drawProcessingMs } from './processing-draw.js';
import type { ContainerOutcome, ContainerRecord } from './record.js';
import { simErrors } from './sim-errors.js';
import type { Container } from './world.js';

function processingMs(ctx: HandlerContext, shape: CreateShape): number {
  const { processing } = ctx.scenario;
  return drawProcessingMs(shape.kind === 'carousel' ? processing.parentMs : shape.kind === 'video' ? processing.videoMs : processing.imageMs, ctx.world.prng);
}

function outcomeOf(faults: readonly OutcomeFault[]): ContainerOutcome {
  const error = faults.findLast((fault) => fault.type === 'containerError');
  if (error?.type !== 'containerError') return { type: 'finish' };
  return { type: 'error', subcode: error.generic === true ? undefined : error.subcode };
}

/**
 * `POST /{ig-user-id}/media`: checks the create rules and the 400-per-24 h
 * cap, then creates a container whose processing time, lifetime and outcome
 * come from the scenario and any outcome rules. Status is derived later from
 * the sim clock; no timer runs.
 */
export function handleCreate(ctx: HandlerContext): Answer {
  const { world, account, now, params, scenario } = ctx;
  if (account.creations.count(now) >= scenario.containerCap) return fail(world, simErrors.containerCap(scenario.containerCap));
  const shape = shapeOf(params);
  const lookup = (id: string): ChildView | undefined => {
    const child = world.containers.get(id);
    if (child === undefined || child.rec.account !== account.igUserId) return undefined;
    return { isCarouselItem: child.rec.isCarouselItem, status: statusAt(child.rec, now), mediaUrls: child.mediaUrls };
  };
  const verdict = checkCreate(params, shape, lookup);
  for (const violation of verdict.violations) ctx.record.addViolation(violation.type, violation.detail, now, ctx.seq);
  if (verdict.error !== undefined) return fail(world, verdict.error);

  const faults = ctx.faults.outcomeFaults({ endpoint: 'create', account: account.igUserId, ...shape });
  const drawn = processingMs(ctx, shape);
  const override = faults.findLast((fault) => fault.type === 'processingMs');
  const early = faults.findLast((fault) => fault.type === 'expireEarly');
  const errorRule = faults.findLast((fault) => fault.type === 'containerError');
  const rec: ContainerRecord = {
    id: world.ids.containerId(),
    account: account.igUserId,
    kind: shape.kind,
    isCarouselItem: shape.isCarouselItem,
    mediaType: shape.mediaType,
    productType: shape.productType,
    params,
    children: shape.kind === 'carousel' ? verdict.children : undefined,
    createdAt: now,
    readyAt: now + (override?.type === 'processingMs' ? override.ms : drawn),
    expiresAt: now + (early?.type === 'expireEarly' ? early.afterMs : scenario.expireAfterMs),
    outcome: outcomeOf(faults),
    publishedAt: undefined,
    mediaId: undefined,
    publishedVia: undefined,
  };
  const container: Container = {
    rec,
    caption: shape.productType === 'STORY' ? undefined : str(params, 'caption'),
    mediaUrls: verdict.mediaUrls,
    statusForm: errorRule?.type === 'containerError' ? errorRule.statusForm : undefined,
    lastReadAt: undefined,
  };
  world.containers.set(rec.id, container);
  ctx.record.addContainer(rec);
  account.creations.push(now);
  return ok({ id: rec.id });
}
