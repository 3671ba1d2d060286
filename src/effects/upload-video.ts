import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import { map, switchMap } from 'rxjs';
import { checkVideoFile } from '../media/video-file-facts.js';
import { VideoFileError } from '../media/video-file-error.js';
import type { UploadInput, UploadOutput } from '../machines/effect-contract.js';
import type { PinnedVideoFile } from '../spec/video-file.js';
import type { EffectDeps } from './effect-deps.js';
import { effectActor } from './effect-actor.js';
import { graphCall } from './graph-call.js';

/** Progress is reported at most this often while bytes flow, and once at the end. */
const PROGRESS_EVERY_MS = 250;

/** The local file, checked again before any byte leaves: the same size and bytes as when the post was accepted. */
async function verified(source: Extract<UploadInput['source'], { from: 'file' }>): Promise<PinnedVideoFile> {
  if (source.size === undefined || source.sha256 === undefined) throw new VideoFileError(`${source.path} was never checked (its size and hash are not recorded)`);
  const expected = { path: source.path, size: source.size, sha256: source.sha256 };
  const check = await checkVideoFile(source.path, { maxBytes: Number.MAX_SAFE_INTEGER, expected });
  if (!check.ok) throw new VideoFileError(check.problem);
  return expected;
}

/**
 * `uploadVideo`: a resumable container's bytes to the upload host
 * (docs/graph-api.md#resumable-upload). Safe to repeat, so it is what a
 * restore or a retry runs again: it checks the file (the same size and
 * SHA-256 as at intake), asks Instagram how many bytes it already has, and
 * streams the rest from disk, never the whole file in memory, reporting
 * bytes as they go. A hosted file is handed over as its `file_url`.
 */
export const uploadVideo = (deps: EffectDeps) =>
  effectActor<UploadInput, UploadOutput>(deps, (input) => {
    const { source } = input;
    if (source.from === 'url') {
      return graphCall(deps, input.account, 'create', (graph, signal) => graph.upload(input.containerId, { kind: 'url', url: source.url }, { signal })).pipe(map(() => ({ size: 0, sent: 0, at: deps.clock.now() })));
    }
    return graphCall(deps, input.account, 'read', async (graph, signal) => {
      const file = await verified(source);
      return { file, offset: Math.min(await graph.uploadedBytes(input.containerId, { signal }), file.size) };
    }).pipe(
      switchMap(({ file, offset }) =>
        graphCall(deps, input.account, 'create', async (graph, signal) => {
          if (offset >= file.size) return 0;
          const report = (sent: number) => deps.progress?.(input.postId, { containerId: input.containerId, item: input.item, story: input.story, sent: offset + sent, total: file.size });
          let sent = 0;
          let reportedAt = 0;
          const counter = new Transform({
            transform(chunk: Buffer, _encoding, done) {
              sent += chunk.length;
              const now = deps.clock.now();
              if (now - reportedAt >= PROGRESS_EVERY_MS) {
                reportedAt = now;
                report(sent);
              }
              done(null, chunk);
            },
          });
          const bytes = createReadStream(file.path, { start: offset, highWaterMark: 256 * 1024 });
          bytes.on('error', (error) => counter.destroy(error));
          signal.addEventListener('abort', () => bytes.destroy(), { once: true });
          await graph.upload(input.containerId, { kind: 'bytes', offset, fileSize: file.size, stream: bytes.pipe(counter) }, { signal });
          report(sent);
          return sent;
        }).pipe(map((sent) => ({ size: file.size, sent, at: deps.clock.now() }))),
      ),
    );
  });
