import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { request } from 'undici';
import type { Simulator } from '../../src/sim/simulator.js';
import type { VideoStatus } from '../../src/sim/upload-progress.js';
import { call, TOKEN, USER } from './helpers.js';

/** The answer of a resumable create. */
export interface ResumableCreated {
  readonly id: string;
  readonly uri: string;
}

/** Creates a resumable container (a reel unless `params` says otherwise); returns `{id, uri}`. */
export async function createResumable(s: Simulator, params: Record<string, unknown> = {}): Promise<ResumableCreated> {
  const reply = await call(s, 'POST', `/v25.0/${USER}/media`, { json: { media_type: 'REELS', upload_type: 'resumable', ...params } });
  const json = reply.json as { id?: unknown; uri?: unknown } | undefined;
  if (reply.status !== 200 || typeof json?.id !== 'string' || typeof json.uri !== 'string') throw new Error(`expected {id, uri}, got ${reply.status} ${reply.text}`);
  return { id: json.id, uri: json.uri };
}

/** Deterministic pseudo-random bytes (a stand-in video file). */
export function fileBytes(size: number, seed = 7): Buffer {
  const out = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Hex sha256 of a buffer. */
export const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** What an upload request sends. */
export interface UploadOptions {
  /** `Authorization` header value; default `OAuth <default token>`; `null` sends none. */
  readonly authorization?: string | null;
  readonly offset?: number | string;
  readonly fileSize?: number | string;
  readonly fileUrl?: string;
  /** The body; a Buffer is sent with a content-length, a Readable chunked. */
  readonly body?: Buffer | Readable;
}

/** An upload answer, or how the transport failed. */
export type UploadReply =
  | { readonly status: number; readonly json: unknown; readonly text: string }
  | { readonly failed: string };

/** POSTs to an upload `uri` over real loopback HTTP (undici); never throws on a transport failure. */
export async function upload(uri: string, options: UploadOptions = {}): Promise<UploadReply> {
  const headers: Record<string, string> = { 'content-type': 'application/octet-stream' };
  const authorization = options.authorization === undefined ? `OAuth ${TOKEN}` : options.authorization;
  if (authorization !== null) headers['authorization'] = authorization;
  if (options.offset !== undefined) headers['offset'] = String(options.offset);
  if (options.fileSize !== undefined) headers['file_size'] = String(options.fileSize);
  if (options.fileUrl !== undefined) headers['file_url'] = options.fileUrl;
  try {
    const response = await request(uri, { method: 'POST', headers, body: options.body ?? null });
    const text = await response.body.text();
    let json: unknown;
    try {
      json = JSON.parse(text) as unknown;
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, json, text };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return { failed: typeof code === 'string' ? code : String(error) };
  }
}

/** Uploads `file` from `offset` to the end in one request. */
export function uploadFrom(uri: string, file: Buffer, offset: number, options: Omit<UploadOptions, 'offset' | 'fileSize' | 'body'> = {}): Promise<UploadReply> {
  return upload(uri, { ...options, offset, fileSize: file.length, body: file.subarray(offset) });
}

/** Reads `video_status` the documented way (docs/graph-api.md#resumable-upload). */
export async function videoStatus(s: Simulator, id: string): Promise<{ status_code?: string; status?: string; video_status?: VideoStatus }> {
  const reply = await call(s, 'GET', `/v25.0/${id}`, { query: { fields: 'id,status,status_code,video_status' } });
  if (reply.status !== 200) throw new Error(`status read failed: ${reply.status} ${reply.text}`);
  return reply.json as { status_code?: string; status?: string; video_status?: VideoStatus };
}

/** The `debug_info` of a failure answer. */
export function debugInfo(reply: UploadReply): { retriable: boolean; type: string; message: string } {
  const info = 'json' in reply ? (reply.json as { debug_info?: { retriable: boolean; type: string; message: string } } | undefined)?.debug_info : undefined;
  if (info === undefined) throw new Error(`not a debug_info failure: ${JSON.stringify(reply)}`);
  return info;
}
