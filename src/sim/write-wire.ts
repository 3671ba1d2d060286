import type { ServerResponse } from 'node:http';
import type { WireAnswer } from './wire.js';

/** Puts a wire answer on the socket: writes it, or resets / drops the connection instead. */
export function writeWire(res: ServerResponse, wire: WireAnswer): void {
  if (wire.delivery === 'reset') {
    res.socket?.resetAndDestroy();
    return;
  }
  if (wire.delivery === 'lost') {
    res.socket?.destroy();
    return;
  }
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(wire.status, { ...wire.headers, 'content-length': String(Buffer.byteLength(wire.body)) });
  res.end(wire.body);
}
