import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DispatchDeps } from './dispatch-deps.js';
import type { SimOutcome, SimRequestInfo } from './hooks.js';
import type { RequestRecord } from './record.js';
import { uploadFailure } from './upload-envelope.js';
import { decideUpload } from './upload-handler.js';
import { uploadHeadersOf, uploadParams } from './upload-headers.js';
import { wireOf } from './wire.js';
import { writeWire } from './write-wire.js';

/**
 * The upload host's pipeline (`POST /ig-api-upload/{v}/{container-id}`,
 * endpoint `upload`): record, `onRequest`, the decision (which streams the
 * body), `beforeRespond`, and the write. No throttles or usage headers:
 * those belong to the Graph host.
 */
export class UploadDispatcher {
  constructor(private readonly deps: DispatchDeps) {}

  /** Handles one upload request to the end; never throws. */
  async handle(req: IncomingMessage, res: ServerResponse, containerId: string, path: string, seq: number, at: number): Promise<void> {
    try {
      await this.run(req, res, containerId, path, seq, at);
    } catch (error) {
      const detail = error instanceof Error ? error.message : 'internal error';
      writeWire(res, wireOf(uploadFailure({ type: 'ProcessingFailedError', retriable: true, detail, httpStatus: 500 }), {}));
    }
  }

  private async run(req: IncomingMessage, res: ServerResponse, containerId: string, path: string, seq: number, at: number): Promise<void> {
    const { record, hooks, clock, world } = this.deps;
    const params = uploadParams(uploadHeadersOf(req.headers));
    const account = world.containers.get(containerId)?.rec.account;
    const entry: RequestRecord = { seq, at, method: 'POST', path, endpoint: 'upload', account, params, status: 0, fault: undefined };
    record.requests.push(entry);
    const info: SimRequestInfo = { seq, at, method: 'POST', path, endpoint: 'upload', params, account };
    if (hooks.onRequest !== undefined) await hooks.onRequest(info);

    const decision = await decideUpload(this.deps, req, containerId, seq, clock.now());
    entry.status = decision.wire.status;
    entry.fault = decision.fault?.type;
    entry.upload = decision.attempt;
    const outcome: SimOutcome = {
      status: decision.wire.status,
      headers: decision.wire.headers,
      body: decision.wire.body,
      delivery: decision.wire.delivery,
      effectApplied: decision.effectApplied,
      fault: decision.fault?.type,
    };
    if (decision.fault?.type === 'slow') await this.deps.delay(decision.fault.delayMs);
    if (hooks.beforeRespond !== undefined) await hooks.beforeRespond(info, outcome);
    writeWire(res, decision.wire);
  }
}
