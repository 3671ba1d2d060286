import { fail, ok, type Answer, type HandlerContext } from './answer.js';
import { statusPair } from './container-status.js';
import { mediaFields, unknownMediaField } from './media-fields.js';
import { fieldList } from './params.js';
import { simErrors } from './sim-errors.js';
import { RECEIVED_OFFSET_FIELD, videoStatusOf } from './upload-progress.js';
import type { Container } from './world.js';

/** IG Container fields ([IC], plus [RU]'s `video_status`); `copyright_check_status` is known but not modeled. */
const CONTAINER_FIELDS = new Set(['id', 'status_code', 'status', 'copyright_check_status', RECEIVED_OFFSET_FIELD]);

function readContainer(ctx: HandlerContext, container: Container): Answer {
  const { now, scenario, world } = ctx;
  const fields = fieldList(ctx.params, ['status_code']);
  const unknown = fields.find((field) => !CONTAINER_FIELDS.has(field));
  if (unknown !== undefined) return fail(world, simErrors.nonexistingField(unknown, 'ShadowIGMediaBuilder'));

  if (scenario.pollFloorMs > 0 && container.lastReadAt !== undefined && now - container.lastReadAt < scenario.pollFloorMs) {
    ctx.record.addViolation(
      'poll-too-fast',
      `container ${container.rec.id} read ${now - container.lastReadAt} ms after the previous read (floor ${scenario.pollFloorMs} ms)`,
      now,
      ctx.seq,
    );
  }
  container.lastReadAt = now;

  const pair = statusPair(container.rec, now, container.statusForm ?? scenario.statusForm);
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (field === 'status_code') out['status_code'] = pair.status_code;
    else if (field === 'status') out['status'] = pair.status;
    else if (field === 'id') out['id'] = container.rec.id;
    else if (field === RECEIVED_OFFSET_FIELD) {
      const video = videoStatusOf(container.rec, now);
      if (video !== undefined) out[field] = video;
    }
  }
  if (!('id' in out)) out['id'] = container.rec.id;
  return ok(out);
}

/**
 * `GET /{id}`: a container's `status_code` / `status` (docs/graph-api.md#status-codes), or
 * the fields of a published media object (for permalink reads). Only the
 * account that owns the node gets here; the dispatcher answers 100 / 33
 * otherwise.
 */
export function handleStatus(ctx: HandlerContext): Answer {
  const id = ctx.route.id ?? '';
  const container = ctx.world.containers.get(id);
  if (container !== undefined) return readContainer(ctx, container);
  const media = ctx.world.media.get(id);
  if (media === undefined) return fail(ctx.world, simErrors.noSuchObject('GET', id));
  const fields = fieldList(ctx.params, ['id']);
  const unknown = unknownMediaField(fields);
  if (unknown !== undefined) return fail(ctx.world, simErrors.nonexistingField(unknown, 'IGMedia'));
  return ok(mediaFields(media, ctx.account, fields));
}
