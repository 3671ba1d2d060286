import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { jsonReporter } from '../../src/cli/report/json-reporter.js';
import { lineReporter } from '../../src/cli/report/line-reporter.js';
import { workerReporter } from '../../src/cli/report/worker-reporter.js';
import { WORKER_POST_ID, type EngineEvent } from '../../src/engine/engine-events.js';

/** A stream and what was written to it. */
function sink() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

const at = '2026-01-01T00:00:00.000Z';
const outage: EngineEvent = { type: 'problem', postId: WORKER_POST_ID, at, message: 'store unreachable: connect ECONNREFUSED; retrying in 250 ms' };
const postProblem: EngineEvent = { type: 'problem', postId: 'k-1', at, message: 'another worker holds this post' };

describe('igflow work reporter', () => {
  it('puts the worker’s own problems on stderr, one line each, and keeps them in the NDJSON stream', () => {
    const [out, err] = [sink(), sink()];
    const reporter = workerReporter(jsonReporter(out.stream, err.stream), err.stream, true);
    reporter.event(outage);
    reporter.event(postProblem);
    expect(err.text()).toBe('igflow work: store unreachable: connect ECONNREFUSED; retrying in 250 ms\n');
    expect(out.text().trim().split('\n').map((line) => JSON.parse(line) as EngineEvent)).toEqual([outage, postProblem]);
  });

  it('in plain output, says them on stderr only, not again on stdout', () => {
    const [out, err] = [sink(), sink()];
    const reporter = workerReporter(lineReporter(out.stream), err.stream, false);
    reporter.event(outage);
    reporter.event(postProblem);
    expect(err.text()).toBe('igflow work: store unreachable: connect ECONNREFUSED; retrying in 250 ms\n');
    expect(out.text()).toBe(`${at} k-1: problem: another worker holds this post\n`);
  });
});
