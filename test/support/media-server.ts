import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesOf, type MediaFixture } from './media-fixtures.js';

/** A self-signed certificate for 127.0.0.1, made with openssl for one test run. */
export interface TestCertificate {
  readonly cert: string;
  readonly key: string;
  /** The certificate's file, for a child process's NODE_EXTRA_CA_CERTS. */
  readonly certPath: string;
  readonly cleanup: () => void;
}

/** Makes a fresh self-signed P-256 certificate for IP 127.0.0.1, valid two days (openssl must be on PATH: a test needing it fails without it). */
export function makeCertificate(): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'igflow-cert-'));
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), certPath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** How the server answers one path. */
export type MediaRoute =
  | { readonly kind: 'file'; readonly media: MediaFixture; readonly ignoreRange?: boolean }
  /** Takes the request and never answers. */
  | { readonly kind: 'hang' }
  /** Sends headers, then one byte every `everyMs` (at most `maxBytes`), a body that never seems to end. */
  | { readonly kind: 'trickle'; readonly everyMs: number; readonly maxBytes: number }
  | { readonly kind: 'status'; readonly status: number }
  /** Redirects to the next of an endless chain of URLs (`?hop=n+1`). */
  | { readonly kind: 'redirect-loop' };

/** A request as the media server saw it, and how many body bytes it got out before the client went. */
export interface MediaRequest {
  readonly path: string;
  readonly range: string | undefined;
  bytesSent: number;
}

/** A loopback HTTPS media host for tests: fixtures made in the tests, and misbehaving routes. */
export interface MediaServer {
  /** `https://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: MediaRequest[];
  route(path: string, route: MediaRoute): string;
  close(): Promise<void>;
}

const CHUNK = 64 * 1024;

/** Writes `bytes` in chunks, honouring backpressure; stops when the client goes. */
async function stream(res: ServerResponse, media: MediaFixture, start: number, end: number, seen: MediaRequest): Promise<void> {
  for (let at = start; at <= end && !res.destroyed; at += CHUNK) {
    const piece = bytesOf(media, at, Math.min(end, at + CHUNK - 1));
    const more = res.write(piece);
    seen.bytesSent += piece.length;
    if (!more) await new Promise<void>((resolve) => {
      res.once('drain', resolve);
      res.once('close', resolve);
    });
  }
  if (!res.destroyed) res.end();
}

/** Starts the media server on 127.0.0.1 with a free port and the given certificate. */
export async function startMediaServer(certificate: TestCertificate): Promise<MediaServer> {
  const routes = new Map<string, MediaRoute>();
  const requests: MediaRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer({ cert: certificate.cert, key: certificate.key }, (req, res) => {
    const path = new URL(req.url ?? '/', 'https://127.0.0.1').pathname;
    const seen: MediaRequest = { path, range: req.headers.range, bytesSent: 0 };
    requests.push(seen);
    const route = routes.get(path);
    if (route === undefined) return void res.writeHead(404).end('not found');
    switch (route.kind) {
      case 'status':
        return void res.writeHead(route.status).end('no');
      case 'redirect-loop':
        return void res.writeHead(302, { location: `${path}?hop=${Number(new URL(req.url ?? '/', 'https://127.0.0.1').searchParams.get('hop') ?? 0) + 1}` }).end();
      case 'hang':
        return;
      case 'trickle': {
        res.writeHead(200, { 'content-type': 'image/jpeg' });
        res.write(Buffer.from([0xff, 0xd8]));
        const timer = setInterval(() => {
          if (res.destroyed || seen.bytesSent >= route.maxBytes) {
            clearInterval(timer);
            timers.delete(timer);
            if (!res.destroyed) res.end();
            return;
          }
          res.write(Buffer.from([0]));
          seen.bytesSent += 1;
        }, route.everyMs);
        timers.add(timer);
        return;
      }
      case 'file': {
        const { media } = route;
        const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
        if (range === null || route.ignoreRange === true) {
          res.writeHead(200, { 'content-type': media.contentType, 'content-length': String(media.size) });
          return void stream(res, media, 0, media.size - 1, seen);
        }
        const start = Number(range[1]);
        const end = Math.min(media.size - 1, range[2] === '' ? media.size - 1 : Number(range[2]));
        res.writeHead(206, { 'content-type': media.contentType, 'content-range': `bytes ${start}-${end}/${media.size}`, 'content-length': String(end - start + 1) });
        return void stream(res, media, start, end, seen);
      }
    }
  });
  server.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `https://127.0.0.1:${port}`;
  return {
    url,
    requests,
    route(path, route) {
      routes.set(path, route);
      return `${url}${path}`;
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
