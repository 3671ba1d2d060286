import type { IncomingMessage } from 'node:http';

/** How reading an upload body ended. */
export interface BodyRead {
  /** Bytes read off the wire. */
  readonly read: number;
  /** Bytes handed to `keep`. */
  readonly kept: number;
  /** `complete`: the body ended; `aborted`: the client's socket closed mid-body; `cut`: `cutAfter` bytes were read. */
  readonly end: 'complete' | 'aborted' | 'cut';
}

/** What to do with the bytes of one body. */
export interface BodySink {
  /** At most this many bytes are kept (the rest is read and dropped). */
  readonly keepLimit: number;
  /** Receives the kept bytes in order. */
  readonly keep: (chunk: Buffer) => void;
  /** Called with every chunk's size as it is read (kept or not). */
  readonly onRead: (bytes: number) => void;
  /** Awaited after each kept chunk (a test hook may act mid-body, kill the client, say); the body waits meanwhile. */
  readonly afterKeep?: (() => void | Promise<void>) | undefined;
  /** Stop after this many bytes (the `resetAfterBytes` fault); the caller then resets the socket. */
  readonly cutAfter?: number | undefined;
}

/**
 * Streams a request body chunk by chunk: never buffers it whole. A body cut
 * short by the client keeps what arrived before the socket closed.
 */
export async function readUploadBody(req: IncomingMessage, sink: BodySink): Promise<BodyRead> {
  let read = 0;
  let kept = 0;
  const { cutAfter } = sink;
  try {
    for await (const raw of req as AsyncIterable<Buffer>) {
      let chunk = raw;
      const cut = cutAfter !== undefined && read + chunk.length >= cutAfter;
      if (cut) chunk = chunk.subarray(0, cutAfter - read);
      read += chunk.length;
      sink.onRead(chunk.length);
      const room = sink.keepLimit - kept;
      if (room > 0 && chunk.length > 0) {
        const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
        sink.keep(part);
        kept += part.length;
        await sink.afterKeep?.();
      }
      if (cut) return { read, kept, end: 'cut' };
    }
  } catch {
    return { read, kept, end: 'aborted' };
  }
  // A body shorter than cutAfter: the fault still resets the socket instead of answering.
  if (cutAfter !== undefined) return { read, kept, end: 'cut' };
  return { read, kept, end: req.complete ? 'complete' : 'aborted' };
}
