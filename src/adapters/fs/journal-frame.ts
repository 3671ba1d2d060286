import { crc32 } from './crc32.js';

/**
 * The frames of a journal file (see journal-writer.ts): each group commit
 * appends one frame, `magic (4 bytes) | payload length (u32 LE) | CRC-32 of
 * the payload (u32 LE) | payload`. The magic starts with 0xF9, a byte that
 * never occurs in UTF-8, so it cannot appear inside a JSON payload.
 *
 * One checksum per frame (the whole batch), not per record: a frame is
 * written by one `write` and fsynced before the next is written, so a crash
 * can only tear the last frame, all of it or part of it, and none of its
 * writes was acknowledged. Per-record checksums would let the readable
 * records of a torn batch look like a sound prefix followed by damage.
 */

/** The first bytes of every frame. */
export const FRAME_MAGIC = Buffer.from([0xf9, 0x49, 0x47, 0x4a]); // 0xF9 'I' 'G' 'J'
/** Bytes before a frame's payload. */
export const FRAME_HEADER_BYTES = 12;
/** No frame is larger than this; a header claiming more is damage, not a frame. */
export const MAX_FRAME_BYTES = 256 * 1024 * 1024;

/** One frame around `payload`. */
export function encodeFrame(payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  FRAME_MAGIC.copy(frame, 0);
  frame.writeUInt32LE(payload.length, 4);
  frame.writeUInt32LE(crc32(payload), 8);
  payload.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

/** What {@link decodeFrames} found. */
export interface DecodedFrames {
  /** The payloads of the sound frames, in order. */
  readonly payloads: Buffer[];
  /** Where the sound frames end: the bytes before this offset are decoded, those after it are not (yet). */
  readonly end: number;
  /**
   * Set when a frame at `end` is damaged (a wrong magic, an impossible
   * length, a checksum that does not match) and a sound frame follows it
   * somewhere after: damage in the middle of the journal, which no crash
   * produces. Undefined when the bytes after `end` are only a tail that
   * is incomplete or torn (the last frame of a write in flight, or of a
   * process killed mid-write), which is ignored.
   */
  readonly damage: { readonly offset: number; readonly why: string } | undefined;
}

/** Why the frame at `at` is not sound; undefined when it is, 'incomplete' when `bytes` ends before it does. */
function frameProblem(bytes: Buffer, at: number): string | undefined {
  if (bytes.length - at < FRAME_HEADER_BYTES) return 'incomplete';
  if (!bytes.subarray(at, at + 4).equals(FRAME_MAGIC)) return 'no frame starts there';
  const length = bytes.readUInt32LE(at + 4);
  if (length > MAX_FRAME_BYTES) return `a frame header claims ${length} bytes`;
  if (bytes.length - at - FRAME_HEADER_BYTES < length) return 'incomplete';
  const payload = bytes.subarray(at + FRAME_HEADER_BYTES, at + FRAME_HEADER_BYTES + length);
  return crc32(payload) === bytes.readUInt32LE(at + 8) ? undefined : 'a frame whose checksum does not match its bytes';
}

/** Whether a sound frame starts anywhere in `bytes` after `from`. */
function soundFrameAfter(bytes: Buffer, from: number): boolean {
  for (let at = bytes.indexOf(FRAME_MAGIC, from); at !== -1; at = bytes.indexOf(FRAME_MAGIC, at + 1)) {
    if (frameProblem(bytes, at) === undefined) return true;
  }
  return false;
}

/**
 * Decodes the frames of `bytes` from `start`. Stops at the first frame that
 * is not sound: an incomplete or torn tail is left undecoded (`end` points
 * at it; more bytes may complete it later), while a frame that is not
 * sound (incomplete included: its length may be what was damaged) and
 * that a sound one follows is reported as `damage`. Nothing after a bad frame is
 * ever returned: a reader never guesses where the next record starts.
 */
export function decodeFrames(bytes: Buffer, start = 0): DecodedFrames {
  const payloads: Buffer[] = [];
  let at = start;
  while (at < bytes.length) {
    const problem = frameProblem(bytes, at);
    if (problem !== undefined) {
      // An incomplete frame is the tail of a write in flight, or torn by a crash: no sound frame can follow it,
      // as its payload is JSON, where no magic occurs. When one does, its length was damaged.
      const why = problem === 'incomplete' ? 'a frame whose length runs past the end of the journal' : problem;
      return { payloads, end: at, damage: soundFrameAfter(bytes, at + 1) ? { offset: at, why } : undefined };
    }
    const length = bytes.readUInt32LE(at + 4);
    payloads.push(bytes.subarray(at + FRAME_HEADER_BYTES, at + FRAME_HEADER_BYTES + length));
    at += FRAME_HEADER_BYTES + length;
  }
  return { payloads, end: at, damage: undefined };
}
