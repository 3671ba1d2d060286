import { describe, expect, it } from 'vitest';
import { timeIndex } from '../../src/adapters/time-index.js';

describe('timeIndex', () => {
  it('gives each account its own times at or after `since`, ascending, whatever order they came in', () => {
    const index = timeIndex();
    for (const at of [10, 20, 20, 40, 15, 5, 30]) index.add('a', at);
    index.add('b', 25);
    expect(index.since('a', 0)).toEqual([5, 10, 15, 20, 20, 30, 40]);
    expect(index.since('a', 20)).toEqual([20, 20, 30, 40]);
    expect(index.since('a', 41)).toEqual([]);
    expect(index.since('b', 0)).toEqual([25]);
    expect(index.since('c', 0)).toEqual([]);
  });

  it('hands out a fresh array each time', () => {
    const index = timeIndex();
    index.add('a', 1);
    index.since('a', 0).push(99);
    expect(index.since('a', 0)).toEqual([1]);
  });
});
