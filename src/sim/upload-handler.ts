import type { IncomingMessage } from 'node:http';
import type { Answer } from './answer.js';
import { statusAt } from './container-status.js';
import type { DispatchDeps } from './dispatch-deps.js';
import type { ResponseFault } from './fault-schema.js';
import { readUploadBody, type BodyRead } from './upload-body.js';
import { uploadErrors, uploadFailure, uploadSuccess, type UploadFailureSpec } from './upload-envelope.js';
import { countHeader, fetchableUrl, oauthToken, uploadHeadersOf, type UploadHeaders } from './upload-headers.js';
import type { UploadRequestRecord } from './upload-record.js';
import type { UploadSession } from './upload-session.js';
import { applyTransportFault, faultAppliesEffect, uploadErrorSpecOf, wireOf, type WireAnswer } from './wire.js';
import type { Container } from './world.js';

/** What the upload host decided for one request, with the socket's fate. */
export interface UploadDecision {
  readonly wire: WireAnswer;
  readonly fault: ResponseFault | undefined;
  /** Whether the request's bytes were taken in (false for refusals and effect-less faults). */
  readonly effectApplied: boolean;
  readonly attempt: UploadRequestRecord;
}

const RESET: WireAnswer = { status: 0, headers: {}, body: '', delivery: 'reset' };
const LOST: WireAnswer = { status: 0, headers: {}, body: '', delivery: 'lost' };

/**
 * One request to `POST /ig-api-upload/{v}/{container-id}`, from headers to
 * the last body byte. The order: `Authorization: OAuth`, the container,
 * fault rules, the session's state, the headers (`file_url`, or `offset`
 * equal to the bytes already held and `file_size` equal to the session's),
 * then the body, streamed into the session. Never throws for a client's
 * mistake; every outcome lands in the returned attempt record.
 */
class UploadRequest {
  private readonly headers: UploadHeaders;
  private readonly container: Container | undefined;
  private readonly session: UploadSession | undefined;
  private readonly traceHeaders: Record<string, string>;
  readonly attempt: UploadRequestRecord;

  constructor(
    private readonly deps: DispatchDeps,
    private readonly req: IncomingMessage,
    containerId: string,
    private readonly seq: number,
    private readonly now: number,
  ) {
    this.headers = uploadHeadersOf(req.headers);
    this.container = deps.world.containers.get(containerId);
    this.session = this.container?.upload;
    this.traceHeaders = { 'x-fb-trace-id': deps.world.ids.traceId() };
    const { fileUrl, offset, fileSize } = this.headers;
    const mode = fileUrl !== undefined ? 'file_url' : offset !== undefined || fileSize !== undefined ? 'bytes' : undefined;
    this.attempt = {
      containerId,
      mode,
      offset: countHeader(offset, 0),
      fileSize: countHeader(fileSize, 1),
      had: this.session?.upload.received,
      bodyBytes: 0,
      kept: 0,
      outcome: 'failure',
    };
    const upload = this.session?.upload;
    if (upload !== undefined) {
      upload.attempts += 1;
      if (mode === 'bytes' && this.attempt.offset !== undefined) upload.offsets.push(this.attempt.offset);
    }
  }

  async decide(): Promise<UploadDecision> {
    const { world, acceptAnyToken, faults } = this.deps;
    const token = oauthToken(this.req.headers.authorization);
    if (token === undefined) return this.refuse(uploadErrors.unauthorized(401));
    const tokenAccount = world.accountByToken(token);
    if (tokenAccount === undefined && !acceptAnyToken) return this.refuse(uploadErrors.unauthorized(400));
    const { container, session } = this;
    if (container === undefined || session === undefined) return this.refuse(uploadErrors.noSession(this.attempt.containerId));
    if (!acceptAnyToken && tokenAccount?.igUserId !== container.rec.account) return this.refuse(uploadErrors.unauthorized(400));

    const { rec } = container;
    const fault = faults.responseFault({ endpoint: 'upload', account: rec.account, kind: rec.kind, isCarouselItem: rec.isCarouselItem, mediaType: rec.mediaType });
    const cutAfter = fault?.type === 'resetAfterBytes' ? fault.bytes : undefined;
    if (fault !== undefined && !faultAppliesEffect(fault)) return this.faultWithoutEffect(fault, session);

    const earned = await this.effect(container, session, cutAfter);
    // resetAfterBytes was applied while streaming; slow only delays the earned answer.
    if (fault === undefined || fault.type === 'resetAfterBytes' || fault.type === 'slow' || earned.wire.delivery !== 'answer') return { ...earned, fault };
    if (fault.type === 'uploadError') this.failure(fault, session);
    this.attempt.outcome = 'fault';
    return { ...earned, fault, wire: applyTransportFault(fault, earned.wire, this.traceHeaders, () => world.ids.traceId(), true) };
  }

  /** A fault that stops the request before anything is kept: reset at once, or drain the body and answer the fault. */
  private async faultWithoutEffect(fault: ResponseFault, session: UploadSession): Promise<UploadDecision> {
    if (fault.type === 'reset') {
      this.attempt.outcome = 'reset';
      return { wire: RESET, fault, effectApplied: false, attempt: this.attempt };
    }
    const body = await this.drain(undefined);
    if (body.end === 'aborted') return this.aborted(false, fault);
    if (fault.type === 'uploadError') this.failure(fault, session);
    this.attempt.outcome = 'fault';
    const wire = applyTransportFault(fault, undefined, this.traceHeaders, () => this.deps.world.ids.traceId(), true);
    return { wire, fault, effectApplied: false, attempt: this.attempt };
  }

  /** Records an injected `uploadError`; a non-retriable one kills the session. */
  private failure(fault: Extract<ResponseFault, { type: 'uploadError' }>, session: UploadSession): void {
    const spec = uploadErrorSpecOf(fault);
    this.attempt.failureType = spec.type;
    if (!spec.retriable) session.fail(this.now, spec.type, spec.detail);
  }

  private async effect(container: Container, session: UploadSession, cutAfter: number | undefined): Promise<Omit<UploadDecision, 'fault'>> {
    const upload = session.upload;
    if (upload.failed !== undefined) return this.refuse(uploadErrors.sessionFailed(upload.failed.type, upload.failed.message), cutAfter);
    if (statusAt(container.rec, this.now) === 'EXPIRED') return this.refuse(uploadErrors.expired(container.rec.id), cutAfter);
    if (session.busy) return this.refuse(uploadErrors.concurrent(), cutAfter);
    const { mode, offset, fileSize } = this.attempt;
    if (mode === 'file_url') return this.fromUrl(session, this.headers.fileUrl ?? '', cutAfter);
    if (mode === undefined) return this.refuse(uploadErrors.badHeader('send offset and file_size headers with the bytes, or a file_url header'), cutAfter);
    if (offset === undefined) return this.refuse(uploadErrors.badHeader('offset must be a whole number of bytes'), cutAfter);
    if (fileSize === undefined) return this.refuse(uploadErrors.badHeader('file_size must be a positive whole number of bytes'), cutAfter);
    if (upload.fileUrl !== undefined) return this.refuse(uploadErrors.badHeader('this upload session was completed from a file_url'), cutAfter);
    if (upload.fileSize !== undefined && fileSize !== upload.fileSize) return this.refuse(uploadErrors.fileSizeChanged(fileSize, upload.fileSize), cutAfter);
    if (offset !== upload.received) return this.refuse(uploadErrors.offsetInvalid(), cutAfter);
    const length = this.headers.contentLength;
    if (length !== undefined && offset + length > fileSize) return this.refuse(uploadErrors.partial(), cutAfter);
    return this.stream(session, fileSize, cutAfter);
  }

  /** Reads the body into the session: bytes past `file_size` are dropped, a cut body keeps what arrived. */
  private async stream(session: UploadSession, fileSize: number, cutAfter: number | undefined): Promise<Omit<UploadDecision, 'fault'>> {
    const upload = session.upload;
    upload.fileSize ??= fileSize;
    session.busy = true;
    let body: BodyRead;
    try {
      body = await readUploadBody(this.req, {
        keepLimit: fileSize - upload.received,
        keep: (chunk) => {
          session.append(chunk);
          this.attempt.kept += chunk.length;
        },
        onRead: (bytes) => this.counted(bytes),
        afterKeep: () => this.deps.hooks.onUploadBytes?.(this.attempt.containerId, upload.received),
        cutAfter,
      });
    } finally {
      session.busy = false;
    }
    const done = upload.received === fileSize;
    if (done) session.completeBytes(this.deps.clock.now(), this.seq);
    if (body.end === 'aborted') return this.aborted(true);
    if (body.end === 'cut') return this.cut();
    if (!done || body.read > body.kept) {
      this.attempt.outcome = 'partial';
      this.attempt.failureType = 'PartialRequestError';
      return { wire: wireOf(uploadFailure(uploadErrors.partial()), this.traceHeaders), effectApplied: true, attempt: this.attempt };
    }
    return this.succeed();
  }

  /** `file_url`: nothing is fetched; the upload completes after the scenario's simulated fetch time. */
  private async fromUrl(session: UploadSession, url: string, cutAfter: number | undefined): Promise<Omit<UploadDecision, 'fault'>> {
    const upload = session.upload;
    if (!fetchableUrl(url)) return this.refuse(uploadErrors.badFileUrl(), cutAfter);
    if (upload.completedAt === undefined && upload.received > 0) return this.refuse(uploadErrors.fileUrlAfterBytes(upload.received), cutAfter);
    const body = await this.drain(cutAfter);
    session.completeFromUrl(url, this.now + this.deps.scenario().upload.fileUrlFetchMs, this.seq);
    if (body.end === 'aborted') return this.aborted(true);
    if (body.end === 'cut') return this.cut();
    return this.succeed();
  }

  private succeed(): Omit<UploadDecision, 'fault'> {
    this.attempt.outcome = 'success';
    return { wire: wireOf(uploadSuccess(), this.traceHeaders), effectApplied: true, attempt: this.attempt };
  }

  private cut(): Omit<UploadDecision, 'fault'> {
    this.attempt.outcome = 'reset';
    return { wire: RESET, effectApplied: true, attempt: this.attempt };
  }

  private aborted(effectApplied: boolean, fault?: ResponseFault): UploadDecision {
    this.attempt.outcome = 'client-aborted';
    return { wire: LOST, fault, effectApplied, attempt: this.attempt };
  }

  /** Drains the body (counted, nothing kept) and answers the failure; a `resetAfterBytes` cut resets instead. */
  private async refuse(spec: UploadFailureSpec, cutAfter?: number): Promise<UploadDecision> {
    const body = await this.drain(cutAfter);
    if (body.end === 'aborted') return this.aborted(false);
    if (body.end === 'cut') return { ...this.cut(), effectApplied: false, fault: undefined };
    this.attempt.outcome = 'failure';
    this.attempt.failureType = spec.type;
    const answer: Answer = uploadFailure(spec);
    return { wire: wireOf(answer, this.traceHeaders), fault: undefined, effectApplied: false, attempt: this.attempt };
  }

  private drain(cutAfter: number | undefined): Promise<BodyRead> {
    return readUploadBody(this.req, { keepLimit: 0, keep: () => undefined, onRead: (bytes) => this.counted(bytes), cutAfter });
  }

  private counted(bytes: number): void {
    this.attempt.bodyBytes += bytes;
    if (this.session !== undefined) this.session.upload.bytesSent += bytes;
  }
}

/** Decides one upload request (see {@link UploadRequest}); reads the whole body or resets the socket. */
export function decideUpload(deps: DispatchDeps, req: IncomingMessage, containerId: string, seq: number, now: number): Promise<UploadDecision> {
  return new UploadRequest(deps, req, containerId, seq, now).decide();
}
