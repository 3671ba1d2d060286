import { open } from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import type { SpecIssue } from '../spec/issues.js';
import { limits } from '../spec/limits.js';
import type { PostSpec } from '../spec/post-spec.js';
import type { Clock } from '../time/clock.js';
import { imageFacts } from './image-facts.js';
import { mediaAgent, readMediaHead, type MediaHead } from './media-head.js';
import { isImageRole, judgeImage, judgeVideo, type Verdict } from './media-rules.js';
import { mediaTargets, type MediaTarget } from './media-targets.js';
import { videoFacts as videoFactsOf } from './video-facts.js';

/** How media are checked (the engine's `mediaChecks` option); every field has a default from `limits.mediaCheck`. */
export interface MediaCheckSettings {
  /** Bytes read of each media (default 256 KiB). */
  readonly headBytes?: number;
  /** The longest one media read may take, connect to last byte (default 10 s). */
  readonly timeoutMs?: number;
  /** Redirects followed at most (default 5). */
  readonly maxRedirects?: number;
  /** The undici dispatcher media are read through (default: an Agent of the checker's own, closed with the engine). */
  readonly dispatcher?: Dispatcher;
}

/** A media that could not be checked: its path, and why. Instagram may still reach it, so the post goes on. */
export interface MediaWarning {
  readonly path: string;
  readonly message: string;
}

/** The outcome of checking a spec's media: what Instagram would refuse (as spec issues), and what could not be checked. */
export interface MediaCheckResult {
  readonly issues: readonly SpecIssue[];
  readonly warnings: readonly MediaWarning[];
}

/** Checks the media of specs; holds a connection pool until closed. */
export interface MediaChecker {
  check(spec: PostSpec): Promise<MediaCheckResult>;
  close(): Promise<void>;
}

async function readFileHead(path: string, maxBytes: number): Promise<MediaHead> {
  try {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const bytes = Buffer.alloc(Math.min(size, maxBytes));
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, 0);
      return { ok: true, bytes: bytes.subarray(0, bytesRead), totalBytes: size };
    } finally {
      await handle.close();
    }
  } catch (err) {
    return { ok: false, reason: `could not be read (${(err as { code?: string }).code ?? String(err)})` };
  }
}

function judge(target: MediaTarget, head: Extract<MediaHead, { ok: true }>): Verdict {
  if (isImageRole(target.role)) return judgeImage(target.role, imageFacts(head.bytes), head.totalBytes, head.bytes.length);
  return judgeVideo(target.role, videoFactsOf(head.bytes), head.totalBytes, head.bytes.length);
}

/** Runs `work` over `items`, at most `limit` at a time, results in order. */
async function pooled<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/**
 * A media checker (docs/graph-api.md#media-checks-before-any-container):
 * reads the first bytes of every media of a spec (a ranged GET for a URL,
 * the file's head for a `videoFile`), bounded in bytes and time, and judges
 * them with image-size and mp4box by the rules of their kind. What
 * Instagram would refuse is an issue with its path; a media it could not
 * read (refused, timed out, an HTTP error) is a warning, never a refusal:
 * Instagram may reach what igflow cannot.
 */
export function createMediaChecker(clock: Clock, settings: MediaCheckSettings = {}): MediaChecker {
  const maxBytes = settings.headBytes ?? limits.mediaCheck.headBytes;
  const timeoutMs = settings.timeoutMs ?? limits.mediaCheck.timeoutMs;
  const maxRedirects = settings.maxRedirects ?? limits.mediaCheck.maxRedirects;
  let own: Dispatcher | undefined;
  const dispatcher = (): Dispatcher => settings.dispatcher ?? (own ??= mediaAgent(timeoutMs));

  const checkOne = async (target: MediaTarget): Promise<{ issues: SpecIssue[]; warnings: MediaWarning[] }> => {
    const head = 'url' in target.source ? await readMediaHead(target.source.url, { maxBytes, timeoutMs, maxRedirects, dispatcher: dispatcher(), clock }) : await readFileHead(target.source.file, maxBytes);
    if (!head.ok) return { issues: [], warnings: [{ path: target.path, message: `not checked: it ${head.reason}; Instagram may still reach it, so the post goes on` }] };
    const verdict = judge(target, head);
    return {
      issues: verdict.problems.map((message) => ({ path: target.path, message })),
      warnings: verdict.unchecked.map((message) => ({ path: target.path, message: `partly checked: ${message}` })),
    };
  };

  return {
    async check(spec) {
      const results = await pooled(mediaTargets(spec), limits.mediaCheck.concurrency, checkOne);
      return { issues: results.flatMap((r) => r.issues), warnings: results.flatMap((r) => r.warnings) };
    },
    async close() {
      const agent = own;
      own = undefined;
      await agent?.close();
    },
  };
}
