import type { z } from 'zod';

/** True when zod is looking at an object (possibly with failed fields), so cross-field rules can still run. */
export function isObjectPayload(payload: z.core.ParsePayload): boolean {
  return typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value);
}

/** Which media an item gave: exactly one of `imageUrl` / `videoUrl` / `videoFile`, or a problem with several or none. */
export function mediaChoice(item: { readonly imageUrl?: unknown; readonly videoUrl?: unknown; readonly videoFile?: unknown }): 'image' | 'video' | 'both' | 'neither' {
  const image = item.imageUrl !== undefined;
  const video = item.videoUrl !== undefined || item.videoFile !== undefined;
  if ([item.imageUrl, item.videoUrl, item.videoFile].filter((m) => m !== undefined).length > 1) return 'both';
  if (image) return 'image';
  if (video) return 'video';
  return 'neither';
}
