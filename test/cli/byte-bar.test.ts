import { describe, expect, it } from 'vitest';
import { byteBar } from '../../src/cli/report/byte-bar.js';

describe('the upload progress bar', () => {
  it('fills in proportion to the bytes sent, and says the share and the megabytes', () => {
    const MB = 1024 * 1024;
    expect(byteBar(0, 24 * MB)).toBe(`uploading [${'░'.repeat(24)}]   0 % 0.0 / 24.0 MB`);
    expect(byteBar(15 * MB, 24 * MB)).toBe(`uploading [${'█'.repeat(15)}${'░'.repeat(9)}]  62 % 15.0 / 24.0 MB`);
    expect(byteBar(24 * MB, 24 * MB)).toBe(`uploading [${'█'.repeat(24)}] 100 % 24.0 / 24.0 MB`);
  });
  it('never overflows, even when told more than the total', () => {
    expect(byteBar(30, 10)).toContain('100 %');
    expect(byteBar(5, 0)).toContain('100 %');
  });
});
