import type { z } from 'zod';

/** True when zod is looking at an object (possibly with failed fields), so cross-field rules can still run. */
export function isObjectPayload(payload: z.core.ParsePayload): boolean {
  return typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value);
}

/** Which media URL an item gave: exactly one of `imageUrl` / `videoUrl`, or a problem with both or neither. */
export function mediaChoice(item: { readonly imageUrl?: unknown; readonly videoUrl?: unknown }): 'image' | 'video' | 'both' | 'neither' {
  const image = item.imageUrl !== undefined;
  const video = item.videoUrl !== undefined;
  if (image && video) return 'both';
  if (image) return 'image';
  if (video) return 'video';
  return 'neither';
}
