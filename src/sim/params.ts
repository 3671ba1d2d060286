import type { IncomingMessage } from 'node:http';

/** Request parameters after parsing: strings from forms and queries, any JSON value from JSON bodies. */
export type Params = Record<string, unknown>;

/** Where the access token was found. */
export type TokenSource = 'header' | 'query' | 'body';

/** Parameters of one request, with the token taken out. */
export interface ParsedParams {
  readonly params: Params;
  readonly token: string | undefined;
  readonly tokenSource: TokenSource | undefined;
  /** Where an `access_token` parameter was sent, if anywhere (even alongside the header). */
  readonly tokenParamIn: 'query' | 'body' | undefined;
  /** Set when the body could not be parsed. */
  readonly bodyError: string | undefined;
}

const MAX_BODY_BYTES = 1_048_576;

/** Reads the whole request body as text (capped at 1 MiB; the rest is dropped). */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The token of `Authorization: Bearer <token>`, or of `OAuth <token>`, which [RU]'s graph-host samples send too. */
function headerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function parseBody(body: string, contentType: string): { values: Params; error?: string } {
  if (body.trim() === '') return { values: {} };
  if (contentType.includes('json')) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        return { values: {}, error: 'the JSON body must be an object' };
      }
      return { values: parsed as Params };
    } catch {
      return { values: {}, error: 'the JSON body could not be parsed' };
    }
  }
  return { values: Object.fromEntries(new URLSearchParams(body)) };
}

/**
 * Merges query and body parameters (the body wins, as on the Graph API:
 * docs/graph-api.md#request-shape allows JSON bodies, form bodies and query
 * strings) and takes the
 * token out: from `Authorization: Bearer` (or `OAuth`), else from an
 * `access_token` parameter.
 */
export function parseParams(
  query: URLSearchParams,
  body: string,
  contentType: string | undefined,
  authorization: string | undefined,
): ParsedParams {
  const fromQuery: Params = Object.fromEntries(query);
  const { values: fromBody, error } = parseBody(body, contentType ?? '');
  const params: Params = { ...fromQuery, ...fromBody };
  const queryToken = fromQuery['access_token'];
  const bodyToken = fromBody['access_token'];
  delete params['access_token'];
  const tokenParamIn = typeof queryToken === 'string' ? 'query' : typeof bodyToken === 'string' ? 'body' : undefined;
  const base = { params, tokenParamIn, bodyError: error } as const;
  const fromHeader = headerToken(authorization);
  if (fromHeader !== undefined) return { ...base, token: fromHeader, tokenSource: 'header' };
  if (typeof queryToken === 'string' && queryToken !== '') return { ...base, token: queryToken, tokenSource: 'query' };
  if (typeof bodyToken === 'string' && bodyToken !== '') return { ...base, token: bodyToken, tokenSource: 'body' };
  return { ...base, token: undefined, tokenSource: undefined };
}

/** A parameter as a string (numbers and booleans from JSON are stringified). */
export function str(params: Params, name: string): string | undefined {
  const value = params[name];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** A boolean parameter: `true`, `"true"` or `"1"` are true. */
export function bool(params: Params, name: string): boolean {
  const value = params[name];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** Whether a parameter was sent at all (an empty string counts). */
export function has(params: Params, name: string): boolean {
  return params[name] !== undefined && params[name] !== null;
}

/** The `fields` parameter as a list of top-level field names (`children{id}` gives `children`). */
export function fieldList(params: Params, fallback: readonly string[]): string[] {
  const raw = str(params, 'fields');
  if (raw === undefined || raw.trim() === '') return [...fallback];
  const fields: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of raw) {
    if (ch === '{') depth += 1;
    else if (ch === '}') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      pushField(fields, current);
      current = '';
    } else if (depth === 0) current += ch;
  }
  pushField(fields, current);
  return fields;
}

function pushField(fields: string[], raw: string): void {
  const name = raw.trim().split('.')[0] ?? '';
  if (name !== '') fields.push(name);
}
