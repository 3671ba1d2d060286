import zlib from 'node:zlib';

/** The CRC-32 (IEEE, as zlib and gzip compute it) lookup table, for Node versions without `zlib.crc32`. */
let table: Uint32Array | undefined;

function tableCrc32(data: Uint8Array): number {
  table ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (const byte of data) crc = (table[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Node's native `zlib.crc32` (Node 20.15 and later), when this Node has it. */
const native = typeof zlib.crc32 === 'function' ? zlib.crc32 : undefined;

/** The CRC-32 of `data` (unsigned): native when Node has `zlib.crc32`, else a table implementation giving the same values. */
export function crc32(data: Uint8Array): number {
  return native ? native(data) >>> 0 : tableCrc32(data);
}

/** The table implementation alone, so tests can check it against the native one. */
export const crc32ByTable = tableCrc32;
