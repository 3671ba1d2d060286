import { createHash } from 'node:crypto';
import { open, writeFile } from 'node:fs/promises';

/** The first bytes of an MP4: a 24-byte `ftyp` box of brand isom. */
const FTYP = Buffer.from('00000018667479706973 6f6d0000020069736f6d69736f32'.replace(/ /g, ''), 'hex');

/**
 * Writes an MP4-looking file of `size` bytes (an ftyp box, then bytes made
 * from `seed`) in 1 MiB chunks, never the whole file in memory, and
 * resolves to its SHA-256.
 */
export async function writeVideoFile(path: string, size: number, seed = 1): Promise<string> {
  const hash = createHash('sha256');
  const file = await open(path, 'w');
  try {
    const chunk = Buffer.alloc(1024 * 1024);
    for (let i = 0; i < chunk.length; i += 1) chunk[i] = (i * 31 + seed * 17) & 0xff;
    let written = 0;
    while (written < size) {
      const piece = written === 0 ? Buffer.concat([FTYP, chunk]).subarray(0, Math.min(size, chunk.length)) : chunk.subarray(0, Math.min(chunk.length, size - written));
      await file.write(piece);
      hash.update(piece);
      written += piece.length;
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

/** Writes a file that is not a video (a PNG signature). */
export async function writeNotVideo(path: string): Promise<void> {
  await writeFile(path, Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(100)]));
}
