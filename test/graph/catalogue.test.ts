import { describe, expect, it } from 'vitest';
import { defaultCatalogue } from '../../src/graph/catalogue.js';
import { createClassifier, subcodeFromStatus } from '../../src/graph/classify.js';
import type { ErrorClass, GraphStep } from '../../src/graph/error-class.js';

const classifier = createClassifier();
const classOf = (code: number | undefined, subcode: number | undefined, step: GraphStep = 'create', httpStatus = 400) =>
  classifier.classify({ code, subcode, step, httpStatus }).errorClass;

describe('error catalogue', () => {
  // Expected classes written from docs/graph-api.md#the-catalogue and docs/graph-api.md#throttle-codes, independently of the table.
  const expectations: ReadonlyArray<[number | undefined, number | undefined, GraphStep, ErrorClass]> = [
    [-1, 2207001, 'create', 'retry-later'],
    [-1, 2207001, 'publish', 'ambiguous'],
    [-2, 2207003, 'create', 'recreate-container'],
    [-2, 2207020, 'create', 'recreate-container'],
    [-1, 2207032, 'create', 'recreate-container'],
    [-1, 2207053, 'create', 'recreate-container'],
    [1, 2207057, 'create', 'invalid-input'],
    [4, 2207051, 'create', 'invalid-input'],
    [4, 2207051, 'publish', 'ambiguous'],
    [9, 2207042, 'publish', 'quota'],
    [24, 2207006, 'create', 'recreate-container'],
    [24, 2207008, 'create', 'recreate-container'],
    [24, 2207008, 'publish', 'ambiguous'],
    [25, 2207050, 'create', 'auth'],
    [100, 2207023, 'create', 'invalid-input'],
    [100, 2207028, 'create', 'invalid-input'],
    [100, 2207035, 'create', 'invalid-input'],
    [100, 2207036, 'create', 'invalid-input'],
    [100, 2207037, 'create', 'invalid-input'],
    [100, 2207040, 'create', 'invalid-input'],
    [352, 2207026, 'create', 'invalid-input'],
    [9004, 2207052, 'create', 'recreate-container'],
    [9007, 2207027, 'publish', 'not-ready'],
    [36000, 2207004, 'create', 'invalid-input'],
    [36001, 2207005, 'create', 'invalid-input'],
    [36003, 2207009, 'create', 'invalid-input'],
    [36004, 2207010, 'create', 'invalid-input'],
    [undefined, 2207076, 'create', 'recreate-container'],
    [undefined, 2207077, 'create', 'recreate-container'],
    [undefined, 2207082, 'create', 'recreate-container'],
    [undefined, 2207085, 'create', 'invalid-input'],
    [100, 2207089, 'publish', 'invalid-input'],
    [undefined, 2207081, 'create', 'invalid-input'],
    [undefined, 2207018, 'create', 'invalid-input'],
    [100, 33, 'status', 'ambiguous'],
    [1, undefined, 'status', 'retry-later'],
    [2, undefined, 'create', 'retry-later'],
    [4, undefined, 'create', 'throttled'],
    [17, undefined, 'status', 'throttled'],
    [32, undefined, 'status', 'throttled'],
    [613, 1996, 'create', 'throttled'],
    [80002, undefined, 'create', 'throttled'],
    [341, undefined, 'create', 'throttled'],
    [4, undefined, 'publish', 'ambiguous'],
    [368, undefined, 'create', 'retry-later'],
    [190, undefined, 'publish', 'auth'],
    [190, 463, 'create', 'auth'],
    [102, undefined, 'create', 'auth'],
    [10, undefined, 'create', 'auth'],
    [200, undefined, 'create', 'auth'],
    [299, undefined, 'create', 'auth'],
    [506, undefined, 'create', 'invalid-input'],
    [123456, undefined, 'create', 'unknown'],
    [123456, undefined, 'publish', 'ambiguous'],
  ];

  it.each(expectations)('code %s subcode %s at %s is %s', (code, subcode, step, expected) => {
    expect(classOf(code, subcode, step)).toBe(expected);
  });

  it('classifies answers without an envelope by HTTP status', () => {
    expect(classOf(undefined, undefined, 'status', 503)).toBe('retry-later');
    expect(classOf(undefined, undefined, 'publish', 502)).toBe('ambiguous');
    expect(classOf(undefined, undefined, 'create', 429)).toBe('throttled');
    expect(classOf(undefined, undefined, 'create', 418)).toBe('unknown');
  });

  it('prefers the (code, subcode) pair over the subcode, and the subcode over the code', () => {
    // code 4 alone is the app throttle; 4 + 2207051 is a spam verdict (docs/graph-api.md#look-up-order)
    expect(classOf(4, undefined)).toBe('throttled');
    expect(classOf(4, 2207051)).toBe('invalid-input');
    // an unknown code with a known subcode still finds the subcode's row
    expect(classOf(77, 2207042, 'publish')).toBe('quota');
  });

  it('reaches every row: no row is shadowed by an earlier one', () => {
    for (const row of defaultCatalogue) {
      const code = typeof row.code === 'number' ? row.code : row.code?.[0];
      const found = classifier.classify({ code, subcode: row.subcode, httpStatus: row.httpStatus, step: 'create' }).entry;
      expect(found, JSON.stringify(row)).toBe(row);
    }
  });

  it('gives every row a remedy and a source', () => {
    for (const row of defaultCatalogue) {
      expect(row.remedy.length, row.meaning).toBeGreaterThan(10);
      expect(row.source.length, row.meaning).toBeGreaterThan(0);
    }
  });

  it('lets users override and extend rows', () => {
    const custom = createClassifier([
      { subcode: 2207052, errorClass: 'invalid-input', meaning: 'our CDN never recovers', remedy: 'Fix the CDN.', source: 'ops' },
      { subcode: 2299999, errorClass: 'recreate-container', meaning: 'new one', remedy: 'Try again.', source: 'ops' },
    ]);
    expect(custom.classify({ code: 9004, subcode: 2207052, step: 'create' })).toMatchObject({ errorClass: 'invalid-input', remedy: 'Fix the CDN.' });
    expect(custom.classify({ subcode: 2299999, step: 'status', fromStatus: true }).errorClass).toBe('recreate-container');
    expect(classifier.classify({ subcode: 2299999, step: 'status', fromStatus: true }).errorClass).toBe('unknown');
  });

  it('uses the status class for subcodes found in container statuses', () => {
    expect(classifier.classify({ subcode: 2207001, step: 'status', fromStatus: true }).errorClass).toBe('recreate-container');
    expect(classifier.classify({ subcode: 2207026, step: 'status', fromStatus: true }).errorClass).toBe('invalid-input');
    expect(classifier.classify({ subcode: undefined, step: 'status', fromStatus: true }).errorClass).toBe('unknown');
  });
});

describe('subcodeFromStatus', () => {
  it.each([
    ['Error: Media upload has failed with error code 2207026', 2207026],
    ['2207026', 2207026],
    ['Error: Media download has failed. The media URI doesn\'t meet our requirements.', undefined],
    ['ERROR 2207082 (retry)', 2207082],
    ['code 12345678 is not a subcode', undefined],
    [undefined, undefined],
  ])('%s → %s', (status, expected) => {
    expect(subcodeFromStatus(status)).toBe(expected);
  });
});
