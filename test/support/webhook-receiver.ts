import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got, and how it answered. */
export interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** `ok`: 200; `500`; `drop`: the socket destroyed before any answer; `slow`: 200 after `slowMs`. */
  readonly answer: 'ok' | '500' | 'drop' | 'slow';
  /** Real time it arrived (ms). */
  readonly at: number;
}

/** How the receiver answers the nth request (0-based). */
export type AnswerPlan = (n: number) => Received['answer'];

/** Fails now and then: of every 7 requests, one 500, one dropped connection, one slow answer; the rest 200. */
export const flaky: AnswerPlan = (n) => (['ok', '500', 'ok', 'drop', 'ok', 'slow', '500'] as const)[n % 7]!;

/**
 * A webhook receiver on a real loopback HTTP server (node:http) that
 * answers by `plan`. `delivered()` are the requests it answered 200 in
 * time (not the slow ones: the sender gave up on those first).
 */
export async function startReceiver(plan: AnswerPlan = flaky, slowMs = 1_500) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = plan(received.length);
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), answer, at: Date.now() });
      if (answer === 'drop') request.socket.destroy();
      else if (answer === '500') response.writeHead(500).end('no');
      else if (answer === 'slow') setTimeout(() => response.writeHead(200).end('late'), slowMs).unref();
      else response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/igflow?x=1`,
    received,
    delivered: () => received.filter((r) => r.answer === 'ok'),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
