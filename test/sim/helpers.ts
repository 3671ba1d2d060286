import { afterEach } from 'vitest';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/sim/simulator.js';

/** The default account's ID and token. */
export const USER = '17841400000000001';
export const TOKEN = 'sim-token';

/** A parsed answer from the simulator. */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  readonly json: unknown;
}

/** How a test sends parameters. */
export interface CallOptions {
  readonly json?: Record<string, unknown>;
  readonly form?: Record<string, string>;
  readonly query?: Record<string, string>;
  /** Bearer token; `null` sends no Authorization header. Default: the default account's token. */
  readonly token?: string | null;
  readonly signal?: AbortSignal;
}

const running: Simulator[] = [];

/** Starts a simulator that is closed after the current test. */
export async function sim(options: SimulatorOptions = {}): Promise<Simulator> {
  const simulator = await startSimulator(options);
  running.push(simulator);
  return simulator;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((simulator) => simulator.close()));
});

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Sends one request with plain `fetch` and reads the whole answer. */
export async function call(simulator: Simulator, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? TOKEN : options.token;
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  } else if (options.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const query = options.query === undefined ? '' : `?${new URLSearchParams(options.query).toString()}`;
  const response = await fetch(`${simulator.url}${path}${query}`, { method, headers, body, signal: options.signal });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: parse(text) };
}

/** The `error` object of a Graph error reply. */
export function graphError(reply: Reply): { code: number; error_subcode?: number; message: string; is_transient: boolean; type: string; fbtrace_id: string } {
  const json = reply.json as { error?: ReturnType<typeof graphError> } | undefined;
  if (json?.error === undefined) throw new Error(`not a Graph error: ${reply.status} ${reply.text}`);
  return json.error;
}

/** The `id` of a successful create or publish. */
export function idOf(reply: Reply): string {
  const id = (reply.json as { id?: unknown } | undefined)?.id;
  if (reply.status !== 200 || typeof id !== 'string') throw new Error(`expected {id}, got ${reply.status} ${reply.text}`);
  return id;
}

/** Creates a container with JSON params; returns its ID. */
export async function create(simulator: Simulator, params: Record<string, unknown>, user = USER, token = TOKEN): Promise<string> {
  return idOf(await call(simulator, 'POST', `/v25.0/${user}/media`, { json: params, token }));
}

/** Publishes a container; returns the reply. */
export function publish(simulator: Simulator, creationId: string, user = USER, token = TOKEN): Promise<Reply> {
  return call(simulator, 'POST', `/v25.0/${user}/media_publish`, { json: { creation_id: creationId }, token });
}

/** Reads a container's status fields. */
export async function status(simulator: Simulator, id: string, fields = 'status_code,status'): Promise<{ status_code?: string; status?: string; id?: string }> {
  const reply = await call(simulator, 'GET', `/v25.0/${id}`, { query: { fields } });
  if (reply.status !== 200) throw new Error(`status read failed: ${reply.status} ${reply.text}`);
  return reply.json as { status_code?: string; status?: string; id?: string };
}

/** An image URL distinct per `n`. */
export const img = (n: number | string = 1): string => `https://cdn.example/img-${n}.jpg`;

/** A video URL distinct per `n`. */
export const vid = (n: number | string = 1): string => `https://cdn.example/vid-${n}.mp4`;

/** Processing that finishes at once (what benchmarks use). */
export const instant: { imageMs: [number, number]; videoMs: [number, number]; parentMs: [number, number] } = {
  imageMs: [0, 0],
  videoMs: [0, 0],
  parentMs: [0, 0],
};
