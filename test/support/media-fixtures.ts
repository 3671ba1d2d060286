/**
 * Media files made in the tests, byte by byte: just valid enough for
 * image-size and mp4box (and for a person's eye on the headers). A fixture
 * is a list of parts, each bytes or a run of zero bytes, so a 9 MB image
 * or a 300 MB video costs nothing until a server streams it.
 */

/** A media file: its parts in order (bytes, or a number of zero bytes) and its whole size. */
export interface MediaFixture {
  readonly parts: ReadonlyArray<Buffer | number>;
  readonly size: number;
  /** The Content-Type a server gives it. */
  readonly contentType: string;
}

const sizeOf = (parts: ReadonlyArray<Buffer | number>) => parts.reduce<number>((sum, part) => sum + (typeof part === 'number' ? part : part.length), 0);

/** A fixture from its parts. */
export function fixture(contentType: string, ...parts: Array<Buffer | number>): MediaFixture {
  return { parts, size: sizeOf(parts), contentType };
}

/** The bytes `start`..`end` (inclusive) of a fixture. */
export function bytesOf(media: MediaFixture, start = 0, end = media.size - 1): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (const part of media.parts) {
    const length = typeof part === 'number' ? part : part.length;
    const from = Math.max(start, at);
    const to = Math.min(end + 1, at + length);
    if (from < to) out.push(typeof part === 'number' ? Buffer.alloc(to - from) : part.subarray(from - at, to - at));
    at += length;
  }
  return Buffer.concat(out);
}

const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const segment = (marker: number, body: Buffer) => Buffer.concat([Buffer.from([0xff, marker]), u16(body.length + 2), body]);

/**
 * A baseline JPEG of `width` × `height`: SOI, a JFIF APP0, optional
 * padding in an APP1 (`paddingBytes`, to push the frame header deeper),
 * SOF0 with three components, a DQT-free minimal SOS, then `dataBytes`
 * of scan data and EOI.
 */
export function jpeg(width: number, height: number, options: { readonly dataBytes?: number; readonly paddingBytes?: number } = {}): MediaFixture {
  const app0 = segment(0xe0, Buffer.concat([Buffer.from('JFIF\0', 'latin1'), Buffer.from([1, 1, 0]), u16(72), u16(72), Buffer.from([0, 0])]));
  const padding = options.paddingBytes === undefined ? [] : [segment(0xe1, Buffer.concat([Buffer.from('igflow-pad\0', 'latin1'), Buffer.alloc(options.paddingBytes)]))];
  const sof0 = segment(0xc0, Buffer.concat([Buffer.from([8]), u16(height), u16(width), Buffer.from([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1])]));
  const sos = segment(0xda, Buffer.from([3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0]));
  return fixture('image/jpeg', Buffer.from([0xff, 0xd8]), app0, ...padding, sof0, sos, options.dataBytes ?? 1024, Buffer.from([0xff, 0xd9]));
}

/** A PNG of `width` × `height`: the signature and an IHDR chunk (CRC left zero: no parser here checks it), then an IEND. */
export function png(width: number, height: number): MediaFixture {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.writeUInt8(8, 16);
  ihdr.writeUInt8(2, 17);
  const iend = Buffer.from('0000000049454e44ae426082', 'hex');
  return fixture('image/png', Buffer.from('89504e470d0a1a0a', 'hex'), ihdr, 512, iend);
}

const box = (type: string, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + body.length, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
};

/** An `mvhd` (version 0) saying the movie lasts `durationMs`, on a 1000 Hz timescale. */
function mvhd(durationMs: number): Buffer {
  const body = Buffer.alloc(100);
  body.writeUInt32BE(1000, 12); // timescale
  body.writeUInt32BE(Math.round(durationMs), 16); // duration
  body.writeUInt32BE(0x00010000, 20); // rate 1.0
  body.writeUInt16BE(0x0100, 24); // volume 1.0
  body.writeUInt32BE(0x00010000, 36); // the unit matrix
  body.writeUInt32BE(0x00010000, 52);
  body.writeUInt32BE(0x40000000, 68);
  body.writeUInt32BE(2, 96); // next track id
  return box('mvhd', body);
}

/**
 * An MP4 lasting `durationMs`: `ftyp`, then `moov` (with its `mvhd`) and
 * an `mdat` of `mdatBytes` zero bytes, moov at the front (fast start) or
 * at the end (as a camera writes it).
 */
export function mp4(durationMs: number, options: { readonly moov: 'front' | 'end'; readonly mdatBytes?: number }): MediaFixture {
  const ftyp = box('ftyp', Buffer.from('isom', 'latin1'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2mp41', 'latin1'));
  const moov = box('moov', mvhd(durationMs));
  const mdatBytes = options.mdatBytes ?? 64 * 1024;
  const mdatHeader = Buffer.alloc(8);
  mdatHeader.writeUInt32BE(8 + mdatBytes, 0);
  mdatHeader.write('mdat', 4, 'latin1');
  return options.moov === 'front' ? fixture('video/mp4', ftyp, moov, mdatHeader, mdatBytes) : fixture('video/mp4', ftyp, mdatHeader, mdatBytes, moov);
}
