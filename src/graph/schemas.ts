import { z } from 'zod';

/** Graph ids arrive as strings; a number is accepted and turned into one. */
const GraphId = z.union([z.string().min(1), z.number().int()]).transform(String);

/** `{"id": "…"}`: the answer to create-container and media_publish. */
export const IdResponse = z.object({ id: GraphId });

/** The error envelope every failing Graph call returns (docs/graph-api.md#the-envelope). */
export const ErrorEnvelope = z.object({
  error: z.object({
    message: z.string().catch('(no message)'),
    type: z.string().optional().catch(undefined),
    code: z.union([z.number(), z.string()]).optional().catch(undefined),
    error_subcode: z.union([z.number(), z.string()]).optional().catch(undefined),
    is_transient: z.boolean().optional().catch(undefined),
    error_user_title: z.string().optional().catch(undefined),
    error_user_msg: z.string().optional().catch(undefined),
    fbtrace_id: z.string().optional().catch(undefined),
  }),
});
/** See {@link ErrorEnvelope}. */
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** The status codes a container reports (docs/graph-api.md#status-codes). */
export const StatusCode = z.enum(['IN_PROGRESS', 'FINISHED', 'ERROR', 'EXPIRED', 'PUBLISHED']);
/** See {@link StatusCode}. */
export type StatusCode = z.infer<typeof StatusCode>;

/** The raw answer to `GET /{container-id}?fields=status_code,status,id`. */
export const ContainerStatusResponse = z.object({
  id: GraphId.optional(),
  status_code: z.string().optional(),
  status: z.union([z.string(), z.number()]).transform(String).optional(),
});

/** The raw answer to `GET /{ig-user-id}/content_publishing_limit`. */
export const PublishingLimitResponse = z.object({
  data: z
    .array(
      z.object({
        quota_usage: z.number().nonnegative().optional(),
        config: z
          .object({ quota_total: z.number().positive().optional(), quota_duration: z.number().positive().optional() })
          .optional(),
      }),
    )
    .min(1),
});

/** The raw answer to `GET /{ig-user-id}/media` and `/stories`. */
export const MediaListResponse = z.object({
  data: z.array(
    z.object({
      id: GraphId,
      caption: z.string().optional(),
      media_type: z.string().optional(),
      media_product_type: z.string().optional(),
      timestamp: z.string().optional(),
      permalink: z.string().optional(),
    }),
  ),
});

/** The raw answer to `GET /{ig-media-id}/comments?fields=id,text,username,timestamp` (docs/graph-api.md#first-comment). */
export const CommentListResponse = z.object({
  data: z.array(
    z.object({
      id: GraphId,
      text: z.string().optional(),
      username: z.string().optional(),
      timestamp: z.string().optional(),
    }),
  ),
  paging: z
    .object({ cursors: z.object({ after: z.string().optional() }).partial().optional(), next: z.string().optional() })
    .optional(),
});

/** The raw answer to `GET /{ig-media-id}?fields=username`: the media owner's handle. */
export const MediaOwnerResponse = z.object({ username: z.string().min(1) });

/** The raw answer to `GET /refresh_access_token` (docs/graph-api.md#token-lifetime). Never logged: it holds the new token. */
export const RefreshTokenResponse = z.object({ access_token: z.string().min(1), expires_in: z.number().positive() });

/** The raw answer to `GET /debug_token` (docs/graph-api.md#token-lifetime): `expires_at` 0 means it never expires. */
export const DebugTokenResponse = z.object({
  data: z.object({ expires_at: z.number().nonnegative().optional(), data_access_expires_at: z.number().nonnegative().optional(), is_valid: z.boolean().optional() }),
});
