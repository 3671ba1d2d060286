import { limits } from '../spec/limits.js';
import type { ImageFacts } from './image-facts.js';
import type { MediaRole } from './media-targets.js';
import type { VideoFacts } from './video-facts.js';

/** What a media check concluded: what Instagram would refuse (`problems`), and what could not be checked (`unchecked`). */
export interface Verdict {
  readonly problems: readonly string[];
  readonly unchecked: readonly string[];
}

const { media } = limits;
const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
const seconds = (ms: number) => (ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 100) / 10} s`);

/** Image-size's format names in words. */
const FORMAT_NAMES: Readonly<Record<string, string>> = { png: 'PNG', gif: 'GIF', webp: 'WebP', heif: 'HEIF/HEIC', bmp: 'BMP', tiff: 'TIFF', svg: 'SVG', avif: 'AVIF', ico: 'ICO', jxl: 'JPEG XL', jp2: 'JPEG 2000' };

const IMAGE_RULES: Partial<Record<MediaRole, { readonly what: string; readonly ratio: boolean }>> = {
  'feed-image': { what: 'feed images', ratio: true },
  'carousel-image': { what: 'carousel images', ratio: true },
  'story-image': { what: 'story images', ratio: false },
  cover: { what: 'reel covers', ratio: false },
};

const VIDEO_RULES: Partial<Record<MediaRole, { readonly what: string; readonly minMs: number; readonly maxMs: number; readonly maxBytes: number }>> = {
  reel: { what: 'a reel', minMs: media.reelMinMs, maxMs: media.reelMaxMs, maxBytes: media.reelMaxBytes },
  'story-video': { what: 'a story video', minMs: media.storyVideoMinMs, maxMs: media.storyVideoMaxMs, maxBytes: media.storyVideoMaxBytes },
  'carousel-video': { what: 'a carousel video', minMs: media.carouselVideoMinMs, maxMs: media.carouselVideoMaxMs, maxBytes: media.carouselVideoMaxBytes },
};

/** Whether a role is an image's (else a video's). */
export const isImageRole = (role: MediaRole): boolean => IMAGE_RULES[role] !== undefined;

/**
 * Judges an image by Instagram's rules for its role
 * (docs/graph-api.md#media-checks-before-any-container): JPEG only, at most
 * `limits.media.imageMaxBytes`, and for feed and carousel images a ratio
 * within 4:5..1.91:1.
 */
export function judgeImage(role: MediaRole, facts: ImageFacts, totalBytes: number | undefined, readBytes: number): Verdict {
  const rule = IMAGE_RULES[role] ?? { what: 'images', ratio: false };
  const problems: string[] = [];
  const unchecked: string[] = [];
  if (facts.format !== 'jpg') {
    const name = facts.format === undefined ? undefined : (FORMAT_NAMES[facts.format] ?? facts.format.toUpperCase());
    problems.push(`${name === undefined ? 'is not a JPEG image (its first bytes are no image format igflow knows)' : `is a ${name} image, not a JPEG`}: Instagram takes only JPEG for ${rule.what}; convert it to JPEG`);
  }
  if (totalBytes !== undefined && totalBytes > media.imageMaxBytes) problems.push(`is ${mb(totalBytes)} (${totalBytes} bytes): Instagram takes images of at most ${mb(media.imageMaxBytes)}`);
  if (rule.ratio && facts.format === 'jpg') {
    if (facts.width === undefined || facts.height === undefined || facts.height === 0) {
      unchecked.push(`its width and height are not in its first ${readBytes} bytes, so its aspect ratio was not checked`);
    } else {
      const ratio = facts.width / facts.height;
      if (ratio < media.feedImageMinRatio - media.ratioTolerance || ratio > media.feedImageMaxRatio + media.ratioTolerance) {
        problems.push(`is ${facts.width} × ${facts.height} (aspect ratio ${ratio.toFixed(2)}:1): Instagram takes ${rule.what} from 4:5 (0.8:1) to 1.91:1; crop it`);
      }
    }
  }
  return { problems, unchecked };
}

/**
 * Judges a video by Instagram's rules for its kind
 * (docs/graph-api.md#media-checks-before-any-container): an MP4 or MOV,
 * its `moov` atom before the media data, its duration and size within the
 * kind's limits.
 */
export function judgeVideo(role: MediaRole, facts: VideoFacts, totalBytes: number | undefined, readBytes: number): Verdict {
  const rule = VIDEO_RULES[role] ?? VIDEO_RULES.reel!;
  const problems: string[] = [];
  const unchecked: string[] = [];
  if (!facts.isMp4) return { problems: [`is not an MP4 or MOV video (its first bytes say otherwise): Instagram takes MP4 or MOV for ${rule.what}`], unchecked };
  if (totalBytes !== undefined && totalBytes > rule.maxBytes) problems.push(`is ${mb(totalBytes)} (${totalBytes} bytes): Instagram takes ${rule.what} of at most ${mb(rule.maxBytes)}`);
  if (facts.moovFirst === false) {
    problems.push('has its moov atom after the media data (mdat): Instagram needs it at the front of the file (remux it, e.g. `ffmpeg -i in.mp4 -c copy -movflags +faststart out.mp4`)');
  } else if (facts.moovFirst === undefined) {
    unchecked.push(`neither its moov atom nor its media data is in its first ${readBytes} bytes, so where moov sits and the duration were not checked`);
  }
  if (facts.durationMs !== undefined) {
    if (facts.durationMs < rule.minMs) problems.push(`lasts ${seconds(facts.durationMs)}: Instagram takes ${rule.what} of at least ${seconds(rule.minMs)}`);
    if (facts.durationMs > rule.maxMs) problems.push(`lasts ${seconds(facts.durationMs)}: Instagram takes ${rule.what} of at most ${seconds(rule.maxMs)}`);
  } else if (facts.moovFirst === true) {
    unchecked.push('its moov atom has no readable duration, so the duration was not checked');
  }
  return { problems, unchecked };
}
