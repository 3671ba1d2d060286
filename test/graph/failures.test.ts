import { inspect } from 'node:util';
import { createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient, type GraphClient } from '../../src/graph/client.js';
import { GraphError } from '../../src/graph/graph-error.js';
import { TransportError } from '../../src/graph/transport-error.js';
import type { AnswerInfo } from '../../src/graph/graph-options.js';
import { answer, startScriptedServer, type ScriptedServer } from '../support/scripted-server.js';

const TOKEN = 'EAAG-secret-token-0123456789';
const USER = '17841400008460056';

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('Graph client failures', () => {
  let server: ScriptedServer;
  let graph: GraphClient;
  let answers: AnswerInfo[];

  beforeEach(async () => {
    server = await startScriptedServer();
    answers = [];
    graph = createGraphClient({
      accessToken: TOKEN,
      igUserId: USER,
      baseUrl: server.url,
      timeouts: { headersMs: 200, bodyMs: 200, connectMs: 500 },
      onAnswer: (info) => answers.push(info),
    });
  });
  afterEach(async () => {
    await graph.close();
    await server.close();
  });

  it('turns an error envelope into a GraphError with every field', async () => {
    server.respond((_req, res) =>
      answer(res, 400, {
        error: {
          message: 'The image size is too large.',
          type: 'OAuthException',
          code: 36000,
          error_subcode: 2207004,
          is_transient: false,
          error_user_title: 'Image size too large',
          error_user_msg: 'It should be less than 8 MiB.',
          fbtrace_id: 'A6LJylpZRKw2xKLFsAP-cJh',
        },
      }),
    );
    const err = await failure(graph.createContainer({ image_url: 'https://cdn.example/big.jpg' }));
    expect(err).toBeInstanceOf(GraphError);
    expect(err).toMatchObject({
      code: 36000,
      subcode: 2207004,
      type: 'OAuthException',
      userTitle: 'Image size too large',
      userMessage: 'It should be less than 8 MiB.',
      fbtraceId: 'A6LJylpZRKw2xKLFsAP-cJh',
      isTransient: false,
      errorClass: 'invalid-input',
      class: 'invalid-input',
      retryable: false,
      httpStatus: 400,
      step: 'create',
    });
    expect((err as GraphError).remedy).toMatch(/8 MiB/);
  });

  it('accepts string codes and string subcodes in the envelope', async () => {
    server.respond((_req, res) => answer(res, 400, { error: { message: 'bad param', code: 'INSTAGRAM_PLATFORM_API__INVALID_PARAM', error_subcode: '2207028' } }));
    const err = (await failure(graph.createContainer({}))) as GraphError;
    expect(err).toBeInstanceOf(GraphError);
    expect(err.codeName).toBe('INSTAGRAM_PLATFORM_API__INVALID_PARAM');
    expect(err.subcode).toBe(2207028);
    expect(err.errorClass).toBe('invalid-input');
  });

  it('reads an error envelope even on a 200', async () => {
    server.respond((_req, res) => answer(res, 200, { error: { message: 'Not ready', code: 9007, error_subcode: 2207027 } }));
    const err = (await failure(graph.publish('C1'))) as GraphError;
    expect(err.errorClass).toBe('not-ready');
  });

  it.each([
    ['an HTML 502 page', 502, '<html><body><h1>502 Bad Gateway</h1></body></html>', 'http-status'],
    ['an empty 200', 200, '', 'malformed-body'],
    ['a truncated 200', 200, '{"id":"1788', 'malformed-body'],
    ['garbage', 200, 'not json at all', 'malformed-body'],
    ['a 200 of the wrong shape', 200, '{"name":"x"}', 'malformed-body'],
    ['a JSON 500 without an envelope', 500, '{"oops":true}', 'http-status'],
  ] as const)('turns %s into a TransportError that reached Instagram', async (_what, status, body, failureKind) => {
    server.respond((_req, res) => {
      res.writeHead(status, { 'content-type': body.startsWith('<') ? 'text/html' : 'application/json' });
      res.end(body);
    });
    const err = (await failure(graph.createContainer({ image_url: 'https://cdn.example/a.jpg' }))) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.failure).toBe(failureKind);
    expect(err.reached).toBe('yes');
    expect(err.errorClass).toBe('retry-later');
    const atPublish = (await failure(graph.publish('C1'))) as TransportError;
    expect(atPublish.errorClass).toBe('ambiguous');
  });

  it('times out a silent server: a GET is retry-later, a publish is ambiguous', async () => {
    server.respond(() => undefined); // never answers
    const read = (await failure(graph.containerStatus('C1'))) as TransportError;
    expect(read).toBeInstanceOf(TransportError);
    expect(read).toMatchObject({ failure: 'timeout', reached: 'maybe', errorClass: 'retry-later', causeCode: 'UND_ERR_HEADERS_TIMEOUT' });
    const publish = (await failure(graph.publish('C1'))) as TransportError;
    expect(publish).toMatchObject({ failure: 'timeout', reached: 'maybe', errorClass: 'ambiguous', retryable: true });
  });

  it('times out a body that stalls halfway', async () => {
    server.respond((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '40' });
      res.write('{"id":');
    });
    const err = (await failure(graph.publish('C1'))) as TransportError;
    expect(err).toMatchObject({ failure: 'timeout', reached: 'yes', errorClass: 'ambiguous', causeCode: 'UND_ERR_BODY_TIMEOUT' });
  });

  it('reports a reset socket as a reset that may have reached Instagram', async () => {
    server.respond((_req, res) => {
      res.socket?.destroy();
    });
    const err = (await failure(graph.publish('C1'))) as TransportError;
    expect(err).toMatchObject({ failure: 'reset', reached: 'maybe', errorClass: 'ambiguous' });
  });

  it('reports a refused connection as never sent: even a publish may be retried', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as { port: number };
        probe.close(() => resolve(p));
      });
    });
    const dead = createGraphClient({ accessToken: TOKEN, igUserId: USER, baseUrl: `http://127.0.0.1:${port}` });
    const err = (await failure(dead.publish('C1'))) as TransportError;
    expect(err).toMatchObject({ failure: 'connect', reached: 'no', errorClass: 'retry-later', causeCode: 'ECONNREFUSED' });
    await dead.close();
  });

  it('aborts a call when its signal fires', async () => {
    server.respond(() => undefined);
    const controller = new AbortController();
    const pending = failure(graph.containerStatus('C1', { signal: controller.signal }));
    setTimeout(() => controller.abort(), 20);
    expect(await pending).toMatchObject({ failure: 'aborted' });
  });

  it('parses usage headers and reports them after every answer', async () => {
    server.respond((_req, res) =>
      answer(res, 200, { id: 'C1' }, {
        'X-App-Usage': '{"call_count":28,"total_time":25,"total_cputime":25}',
        'X-Business-Use-Case-Usage': JSON.stringify({ [USER]: [{ type: 'instagram', call_count: 91, total_cputime: 10, total_time: 12, estimated_time_to_regain_access: 0 }] }),
      }),
    );
    await graph.createContainer({ image_url: 'https://cdn.example/a.jpg' });
    expect(answers).toHaveLength(1);
    expect(answers[0]!.usage).toEqual({
      app: { callCount: 28, totalTime: 25, totalCputime: 25 },
      business: [{ id: USER, type: 'instagram', callCount: 91, totalTime: 12, totalCputime: 10, regainAccessMinutes: 0 }],
      peakPercent: 91,
      regainAccessMs: undefined,
    });
  });

  it('ignores malformed usage headers', async () => {
    server.respond((_req, res) => answer(res, 200, { id: 'C1' }, { 'X-App-Usage': '{not json', 'X-Business-Use-Case-Usage': '[1,2]' }));
    await graph.createContainer({});
    expect(answers[0]!.usage).toBeUndefined();
  });

  it('takes the throttle wait from estimated_time_to_regain_access (minutes)', async () => {
    server.respond((_req, res) =>
      answer(res, 400, { error: { message: 'Application request limit reached', code: 80002, is_transient: true } }, {
        'x-business-use-case-usage': JSON.stringify({ [USER]: [{ type: 'instagram', call_count: 100, total_cputime: 30, total_time: 30, estimated_time_to_regain_access: 7 }] }),
      }),
    );
    const err = (await failure(graph.containerStatus('C1'))) as GraphError;
    expect(err).toMatchObject({ errorClass: 'throttled', throttled: true, retryAfterMs: 7 * 60_000 });
    expect(answers.at(-1)).toMatchObject({ step: 'status', throttledForMs: 7 * 60_000 });
  });

  it('honours Retry-After when the server sends one', async () => {
    server.respond((_req, res) => answer(res, 400, { error: { message: 'slow down', code: 4 } }, { 'retry-after': '120' }));
    const err = (await failure(graph.createContainer({}))) as GraphError;
    expect(err.retryAfterMs).toBe(120_000);
  });

  describe('the token', () => {
    const leaks = (err: unknown) =>
      [String(err), (err as Error).message, (err as Error).stack ?? '', JSON.stringify(err), inspect(err, { depth: 10, showHidden: true })].some(
        (text) => text.includes(TOKEN) || text.includes(encodeURIComponent(TOKEN)),
      );

    it('is redacted from error envelopes that echo it', async () => {
      server.respond((_req, res) =>
        answer(res, 400, { error: { message: `Invalid OAuth access token ${TOKEN}`, type: 'OAuthException', code: 190, error_user_msg: `token=${TOKEN}`, fbtrace_id: 'x' } }),
      );
      const err = await failure(graph.publish('C1'));
      expect(err).toBeInstanceOf(GraphError);
      expect((err as GraphError).message).toContain('[redacted]');
      expect(leaks(err)).toBe(false);
    });

    it('is redacted from garbage bodies that echo it', async () => {
      server.respond((_req, res) => answer(res, 502, `<html>bad gateway ${TOKEN}</html>`));
      const err = await failure(graph.containerStatus('C1'));
      expect(err).toBeInstanceOf(TransportError);
      expect(leaks(err)).toBe(false);
    });

    it('never travels in a URL or a body', async () => {
      server.respond((_req, res) => answer(res, 200, { id: '1', data: [{ quota_usage: 1 }], status_code: 'FINISHED' }));
      await graph.createContainer({ image_url: 'https://cdn.example/a.jpg' });
      await graph.containerStatus('1');
      await graph.publish('1');
      await graph.publishingLimit();
      for (const req of server.requests) {
        expect(req.url.toString()).not.toContain(TOKEN);
        expect(req.body).not.toContain(TOKEN);
        expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
      }
    });
  });
});

describe('container status parsing', () => {
  let server: ScriptedServer;
  let graph: GraphClient;
  beforeEach(async () => {
    server = await startScriptedServer();
    graph = createGraphClient({ accessToken: TOKEN, igUserId: USER, baseUrl: server.url });
  });
  afterEach(async () => {
    await graph.close();
    await server.close();
  });

  it.each([
    [{ status_code: 'ERROR', status: 'Error: Media upload has failed with error code 2207026' }, 'ERROR', 2207026, 'invalid-input'],
    [{ status_code: 'ERROR', status: '2207001' }, 'ERROR', 2207001, 'recreate-container'],
    [{ status_code: 'ERROR', status: 2207003 }, 'ERROR', 2207003, 'recreate-container'],
    [{ status_code: '', status: 'Error: Media download has failed. The media URI doesn\'t meet our requirements.' }, 'ERROR', undefined, 'unknown'],
    [{ status_code: 'ERROR' }, 'ERROR', undefined, 'unknown'],
  ] as const)('%j → %s / %s / %s', async (body, statusCode, subcode, errorClass) => {
    server.respond((_req, res) => answer(res, 200, { id: 'C1', ...body }));
    const status = await graph.containerStatus('C1');
    expect(status.statusCode).toBe(statusCode);
    expect(status.error?.subcode).toBe(subcode);
    expect(status.error?.errorClass).toBe(errorClass);
  });

  it.each([
    ['FINISHED', 'FINISHED'],
    ['EXPIRED', 'EXPIRED'],
    ['PUBLISHED', 'PUBLISHED'],
    ['finished', 'FINISHED'],
    ['SOMETHING_NEW', 'UNKNOWN'],
  ])('status_code %s → %s', async (raw, expected) => {
    server.respond((_req, res) => answer(res, 200, { id: 'C1', status_code: raw }));
    const status = await graph.containerStatus('C1');
    expect(status.statusCode).toBe(expected);
    expect(status.error).toBeUndefined();
  });
});
