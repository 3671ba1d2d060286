import type { RequestRecord, SimRecord } from './record.js';

/** The oracle rules about resumable uploads (docs/graph-api.md#resumable-upload). */
export type UploadRule = 'publish-before-upload' | 'upload-offset-mismatch' | 'upload-written-twice';

/** One broken upload rule. */
export interface UploadFinding {
  readonly rule: UploadRule;
  readonly detail: string;
  readonly seq?: number;
}

/** Whether a resumable container's upload had completed before request `request` (by sequence and by sim time). */
function uploadedBefore(record: SimRecord, containerId: string, request: RequestRecord): boolean {
  const upload = record.uploadOf(containerId);
  if (upload === undefined) return true;
  return upload.completedBy !== undefined && upload.completedBy < request.seq && upload.completedAt !== undefined && upload.completedAt <= request.at;
}

/** `publish-before-upload`: a media_publish of a resumable container, or a carousel parent naming one as a child, before its upload completed. */
function publishBeforeUpload(record: SimRecord, request: RequestRecord): UploadFinding[] {
  if (request.endpoint === 'publish') {
    const id = request.params['creation_id'];
    if (typeof id !== 'string' || uploadedBefore(record, id, request)) return [];
    return [{ rule: 'publish-before-upload', detail: `media_publish of ${id} before its resumable upload completed`, seq: request.seq }];
  }
  const children = request.endpoint === 'create' ? request.params['children'] : undefined;
  if (typeof children !== 'string') return [];
  return children
    .split(',')
    .map((child) => child.trim())
    .filter((child) => !uploadedBefore(record, child, request))
    .map((child) => ({ rule: 'publish-before-upload' as const, detail: `a carousel parent was asked for before item ${child} finished its resumable upload`, seq: request.seq }));
}

/** `upload-offset-mismatch`: a bytes upload whose `offset` was not what the server held (a gap or an overlap: the client did not learn the offset). */
function offsetMismatch(request: RequestRecord): UploadFinding[] {
  const upload = request.upload;
  if (upload?.mode !== 'bytes' || upload.offset === undefined || upload.had === undefined || upload.offset === upload.had) return [];
  const kind = upload.offset > upload.had ? `a gap of ${upload.offset - upload.had}` : `an overlap of ${upload.had - upload.offset}`;
  return [{ rule: 'upload-offset-mismatch', detail: `upload to ${upload.containerId} at offset ${upload.offset} while the server held ${upload.had} bytes (${kind} bytes)`, seq: request.seq }];
}

/** `upload-written-twice`, per container: the bytes kept over all attempts exceed `file_size` or disagree with what it holds, or a body ran past `file_size`. */
function writtenTwice(record: SimRecord): UploadFinding[] {
  const kept = new Map<string, number>();
  const out: UploadFinding[] = [];
  for (const request of record.requests) {
    const upload = request.upload;
    if (upload === undefined) continue;
    kept.set(upload.containerId, (kept.get(upload.containerId) ?? 0) + upload.kept);
    const size = upload.fileSize;
    if (upload.mode === 'bytes' && size !== undefined && upload.offset !== undefined && upload.offset + upload.bodyBytes > size) {
      out.push({ rule: 'upload-written-twice', detail: `upload to ${upload.containerId} sent ${upload.offset + upload.bodyBytes - size} bytes past file_size ${size}`, seq: request.seq });
    }
  }
  for (const [id, total] of kept) {
    const upload = record.uploadOf(id);
    if (upload === undefined) continue;
    const size = upload.fileSize ?? 0;
    if (total > size || total !== upload.received || upload.received > size) {
      out.push({ rule: 'upload-written-twice', detail: `container ${id} was written ${total} bytes in all (holds ${upload.received}, file_size ${size})` });
    }
  }
  return out;
}

/** Every upload rule broken in `record`: request-level findings in request order, then per-container ones. */
export function judgeUploads(record: SimRecord): UploadFinding[] {
  const out: UploadFinding[] = [];
  for (const request of record.requests) out.push(...publishBeforeUpload(record, request), ...offsetMismatch(request));
  out.push(...writtenTwice(record));
  return out;
}
