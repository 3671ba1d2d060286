import type { ServerResponse } from 'node:http';

/** One server-sent-events answer: frames written as `event:` and `data:` lines. */
export interface EventStream {
  send(type: string, data: unknown): void;
  /** A comment line, to keep proxies and the browser from closing an idle stream. */
  ping(): void;
  end(): void;
}

/** Starts an SSE answer on `response` (no caching, no buffering). */
export function eventStream(response: ServerResponse): EventStream {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-accel-buffering': 'no',
    connection: 'keep-alive',
  });
  response.flushHeaders();
  return {
    send(type, data) {
      if (!response.writableEnded) response.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    ping() {
      if (!response.writableEnded) response.write(': ping\n\n');
    },
    end() {
      if (!response.writableEnded) response.end();
    },
  };
}
