import { z } from 'zod';

/**
 * How igflow learns how many bytes of a resumable upload Instagram already
 * has, kept in this one place so it is easy to change
 * (docs/graph-api.md#resumable-upload): Meta's guide reads the container
 * with `fields=video_status` and takes `uploading_phase.bytes_transferred`
 * as the offset to send from. The upload host itself has no documented
 * "how much do you have" request.
 */
export const UPLOAD_OFFSET_FIELDS = 'id,video_status';

/** The part of the container's answer that says how much has arrived. */
export const UploadOffsetResponse = z.object({
  video_status: z
    .object({
      uploading_phase: z
        .object({
          status: z.string().optional().catch(undefined),
          bytes_transferred: z.union([z.number(), z.string()]).optional().catch(undefined),
        })
        .optional()
        .catch(undefined),
    })
    .optional()
    .catch(undefined),
});

/** The offset to send from: `bytes_transferred`, or 0 when Instagram says nothing arrived yet (or says nothing at all). */
export function uploadOffsetOf(raw: z.output<typeof UploadOffsetResponse>): number {
  const bytes = Number(raw.video_status?.uploading_phase?.bytes_transferred ?? 0);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : 0;
}
