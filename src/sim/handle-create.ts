import { fail, ok, type Answer, type HandlerContext } from './answer.js';
import { statusAt } from './container-status.js';
import { checkCreate, isResumable, shapeOf, type ChildView, type CreateShape } from './create-rules.js';
import type { OutcomeFault } from './fault-schema.js';
import { str } from './params.js';
import { drawProcessingMs } from './processing-draw.js';
import type { ContainerOutcome, ContainerRecord } from './record.js';
import { DEFAULT_VERSION } from './route.js';
import { simErrors } from './sim-errors.js';
import { newUploadRecord } from './upload-record.js';
import { UploadSession } from './upload-session.js';
import { uploadUri } from './upload-uri.js';
import { mediaOf, type Container } from './world.js';

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
 * the sim clock; no timer runs. With `upload_type=resumable` the answer adds
 * the upload `uri` and processing waits for the upload to complete.
 */
export function handleCreate(ctx: HandlerContext): Answer {
  const { world, account, now, params, scenario } = ctx;
  if (account.creations.count(now) >= scenario.containerCap) return fail(world, simErrors.containerCap(scenario.containerCap));
  const shape = shapeOf(params);
  const lookup = (id: string): ChildView | undefined => {
    const child = world.containers.get(id);
    if (child === undefined || child.rec.account !== account.igUserId) return undefined;
    return { isCarouselItem: child.rec.isCarouselItem, status: statusAt(child.rec, now), mediaUrls: mediaOf(child) };
  };
  const verdict = checkCreate(params, shape, lookup);
  for (const violation of verdict.violations) ctx.record.addViolation(violation.type, violation.detail, now, ctx.seq);
  if (verdict.error !== undefined) return fail(world, verdict.error);

  const faults = ctx.faults.outcomeFaults({ endpoint: 'create', account: account.igUserId, ...shape });
  const drawn = processingMs(ctx, shape);
  const override = faults.findLast((fault) => fault.type === 'processingMs');
  const early = faults.findLast((fault) => fault.type === 'expireEarly');
  const errorRule = faults.findLast((fault) => fault.type === 'containerError');
  const processing = override?.type === 'processingMs' ? override.ms : drawn;
  // docs/graph-api.md#resumable-upload: a resumable container waits for its bytes; processing starts when the upload completes.
  const upload = isResumable(params) ? newUploadRecord(processing) : undefined;
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
    readyAt: upload === undefined ? now + processing : Infinity,
    expiresAt: now + (early?.type === 'expireEarly' ? early.afterMs : scenario.expireAfterMs),
    outcome: outcomeOf(faults),
    publishedAt: undefined,
    mediaId: undefined,
    publishedVia: undefined,
    ...(upload === undefined ? {} : { upload }),
  };
  const container: Container = {
    rec,
    caption: shape.productType === 'STORY' ? undefined : str(params, 'caption'),
    mediaUrls: verdict.mediaUrls,
    statusForm: errorRule?.type === 'containerError' ? errorRule.statusForm : undefined,
    lastReadAt: undefined,
    ...(upload === undefined ? {} : { upload: new UploadSession(rec, upload) }),
  };
  world.containers.set(rec.id, container);
  ctx.record.addContainer(rec);
  account.creations.push(now);
  if (upload === undefined) return ok({ id: rec.id });
  return ok({ id: rec.id, uri: uploadUri(ctx.uploadBase, ctx.route.version ?? DEFAULT_VERSION, rec.id) });
}
