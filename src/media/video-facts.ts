import { createFile, Log, MP4BoxBuffer } from 'mp4box';
import { MP4_SIGNATURES } from './video-file-facts.js';

/** What the first bytes of an MP4 or MOV say, as mp4box parses them. */
export interface VideoFacts {
  /** Whether the bytes open like an MP4 or MOV (its first box). */
  readonly isMp4: boolean;
  /** `true`: `moov` comes before any `mdat`; `false`: an `mdat` comes first; `undefined`: neither is in the bytes read. */
  readonly moovFirst: boolean | undefined;
  /** The movie's duration from `moov/mvhd`, when the bytes read hold it. */
  readonly durationMs: number | undefined;
}

Log.setLogLevel(() => undefined);

/**
 * Reads the top-level boxes of an MP4/MOV and its `mvhd` duration from its
 * first bytes with mp4box (GPAC's parser): the boxes it could place in
 * order, so a front `moov` is told from one behind the media data.
 */
export function videoFacts(bytes: Uint8Array): VideoFacts {
  const isMp4 = bytes.length >= 8 && MP4_SIGNATURES.has(Buffer.from(bytes.subarray(4, 8)).toString('latin1'));
  if (!isMp4) return { isMp4, moovFirst: undefined, durationMs: undefined };
  const file = createFile();
  try {
    const copy = bytes.slice().buffer;
    file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(copy, 0));
    file.flush();
  } catch {
    // a damaged box: what was parsed before it still counts
  }
  const order = file.boxes.map((box) => box.type);
  const moov = order.indexOf('moov');
  const mdat = order.indexOf('mdat');
  const moovFirst = moov === -1 && mdat === -1 ? undefined : moov !== -1 && (mdat === -1 || moov < mdat);
  const mvhd = moov === -1 ? undefined : (file.moov as { mvhd?: { duration?: unknown; timescale?: unknown } } | undefined)?.mvhd;
  const durationMs =
    typeof mvhd?.duration === 'number' && typeof mvhd.timescale === 'number' && mvhd.timescale > 0 ? (mvhd.duration / mvhd.timescale) * 1000 : undefined;
  return { isMp4, moovFirst, durationMs };
}
