import { describe, expect, it } from 'vitest';
import { countHashtags, countMentions, captionError } from '../../src/sim/caption-rules.js';
import { createPrng } from '../../src/sim/prng.js';
import { parseRoute } from '../../src/sim/route.js';
import { mergeScenarioInput, parseScenario } from '../../src/sim/scenario.js';
import { graphTimestamp } from '../../src/sim/timestamp.js';
import { WindowLog } from '../../src/sim/window-log.js';

describe('WindowLog', () => {
  it('counts events in a moving window', () => {
    const log = new WindowLog(100);
    log.push(0);
    log.push(50);
    log.push(99);
    expect(log.count(99)).toBe(3);
    expect(log.count(100)).toBe(2);
    expect(log.count(199)).toBe(0);
  });

  it('counts from a given time and keeps order when time steps back', () => {
    const log = new WindowLog(1_000);
    log.push(10);
    log.push(30);
    log.push(20);
    expect(log.countSince(20, 100)).toBe(2);
    expect(log.countSince(31, 100)).toBe(0);
  });

  it('says when the window frees below a limit', () => {
    const log = new WindowLog(100);
    for (const t of [0, 10, 20]) log.push(t);
    expect(log.freesAt(2, 20)).toBe(110);
    expect(log.freesAt(3, 20)).toBe(100);
    expect(log.freesAt(4, 20)).toBe(20);
  });

  it('stays correct after compacting many old events', () => {
    const log = new WindowLog(10);
    for (let t = 0; t < 5_000; t += 1) log.push(t);
    expect(log.count(4_999)).toBe(10);
    expect(log.countSince(4_995, 4_999)).toBe(5);
  });
});

describe('caption rules', () => {
  it('counts hashtags and mentions', () => {
    expect(countHashtags('#a #b c#d #é_1 &#39;')).toBe(3);
    expect(countMentions('@a hi @b.c mail x@y.z')).toBe(2);
  });

  it('passes a caption at every limit and fails one past each', () => {
    expect(captionError('a'.repeat(2200))).toBeUndefined();
    expect(captionError('a'.repeat(2201))?.subcode).toBe(2207010);
    expect(captionError(Array.from({ length: 31 }, (_, i) => `#t${i}`).join(' '))?.subcode).toBe(2207010);
    expect(captionError(Array.from({ length: 21 }, (_, i) => `@u${i}`).join(' '))?.subcode).toBe(2207040);
  });
});

describe('prng', () => {
  it('repeats per seed and stays in range', () => {
    const a = createPrng(7);
    const b = createPrng(7);
    const draws = Array.from({ length: 50 }, () => a.between(10, 20));
    expect(Array.from({ length: 50 }, () => b.between(10, 20))).toEqual(draws);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...draws)).toBeLessThanOrEqual(20);
    expect(new Set(draws).size).toBeGreaterThan(3);
    expect(createPrng(1).between(5, 5)).toBe(5);
  });
});

describe('routes', () => {
  it('maps paths with or without a version to endpoints', () => {
    expect(parseRoute('POST', '/v25.0/123/media')).toEqual({ endpoint: 'create', id: '123', version: 'v25.0' });
    expect(parseRoute('GET', '/123/media')).toEqual({ endpoint: 'media', id: '123', version: undefined });
    expect(parseRoute('GET', '/v19.0/456')).toMatchObject({ endpoint: 'status', id: '456' });
    expect(parseRoute('POST', '/v25.0/123/media_publish').endpoint).toBe('publish');
    expect(parseRoute('GET', '/v25.0/123/content_publishing_limit').endpoint).toBe('limit');
    expect(parseRoute('GET', '/v25.0/123/stories').endpoint).toBe('stories');
    expect(parseRoute('POST', '/v25.0/456').endpoint).toBe('unknown');
    expect(parseRoute('GET', '/v25.0/me').endpoint).toBe('unknown');
    expect(parseRoute('GET', '/v25.0/123/media/extra').endpoint).toBe('unknown');
  });
});

describe('scenario', () => {
  it('fills in the defaults', () => {
    const scenario = parseScenario();
    expect(scenario).toMatchObject({
      quotaTotal: 100,
      containerCap: 400,
      expireAfterMs: 86_400_000,
      pollFloorMs: 0,
      statusForm: 'prose',
      faults: [],
      processing: { imageMs: [1_000, 3_000], videoMs: [20_000, 120_000], parentMs: [1_000, 3_000] },
    });
    expect(scenario.throttleWindow).toBeUndefined();
    expect(scenario.usage).toBeUndefined();
  });

  it('rejects bad input with zod issues', () => {
    expect(() => parseScenario({ processing: { imageMs: [3, 1] } })).toThrow(/min <= max/);
    expect(() => parseScenario({ quotaTotal: -1 })).toThrow();
    expect(() => parseScenario({ faults: [{ endpoint: 'nowhere' as 'create', fault: { type: 'http500' } }] })).toThrow();
  });

  it('merges a partial scenario, per kind for processing', () => {
    const merged = parseScenario(mergeScenarioInput({ quotaTotal: 5, processing: { imageMs: [0, 0] } }, { processing: { videoMs: [1, 2] } }));
    expect(merged.quotaTotal).toBe(5);
    expect(merged.processing).toEqual({ imageMs: [0, 0], videoMs: [1, 2], parentMs: [1_000, 3_000] });
  });
});

describe('timestamps', () => {
  it('formats like the Graph API', () => {
    expect(graphTimestamp(Date.UTC(2026, 0, 1, 12, 30, 5, 999))).toBe('2026-01-01T12:30:05+0000');
  });
});
