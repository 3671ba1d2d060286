import type { IncomingHttpHeaders } from 'node:http';
import type { Params } from './params.js';

/** The upload headers of one request, as sent ([RU]: `offset`, `file_size`, or `file_url`). */
export interface UploadHeaders {
  readonly offset: string | undefined;
  readonly fileSize: string | undefined;
  readonly fileUrl: string | undefined;
  /** `Content-Length`, when the body is not chunked. */
  readonly contentLength: number | undefined;
}

const one = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** Reads the upload headers (names are case-insensitive; `file_size` and `file_url` keep their underscore). */
export function uploadHeadersOf(headers: IncomingHttpHeaders): UploadHeaders {
  const length = one(headers['content-length']);
  return {
    offset: one(headers['offset']),
    fileSize: one(headers['file_size']),
    fileUrl: one(headers['file_url']),
    contentLength: length !== undefined && /^\d+$/.test(length) ? Number(length) : undefined,
  };
}

/** The upload headers as the record's `params` (the token is never among them). */
export function uploadParams(headers: UploadHeaders): Params {
  const params: Params = {};
  if (headers.offset !== undefined) params['offset'] = headers.offset;
  if (headers.fileSize !== undefined) params['file_size'] = headers.fileSize;
  if (headers.fileUrl !== undefined) params['file_url'] = headers.fileUrl;
  return params;
}

/**
 * The token of `Authorization: OAuth <token>`, the only form the upload host
 * takes ([RU]); `Bearer` (the Graph host's form) and a missing header give
 * undefined.
 */
export function oauthToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  return /^OAuth\s+(\S+)\s*$/i.exec(authorization)?.[1];
}

/** A header as a whole number ≥ `min`, or undefined when it is absent or not one. */
export function countHeader(raw: string | undefined, min: number): number | undefined {
  if (raw === undefined || !/^\s*\d+\s*$/.test(raw)) return undefined;
  const value = Number(raw.trim());
  return Number.isSafeInteger(value) && value >= min ? value : undefined;
}

/** Whether a `file_url` is something Instagram could fetch: a US-ASCII http(s) URL (nothing is fetched). */
export function fetchableUrl(url: string): boolean {
  return /^[\x21-\x7e]+$/.test(url) && /^https?:\/\/[^/]+/i.test(url);
}
