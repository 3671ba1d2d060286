import { describe, expect, it } from 'vitest';
import { containerPlan } from '../../src/spec/graph-params.js';
import { parsePostSpec } from '../../src/spec/validate.js';
import { accepted, img, issuesOf, vid } from './helpers.js';

describe('firstComment', () => {
  it('is accepted on an image, a reel and a carousel, and never sent with a container', () => {
    for (const spec of [
      { kind: 'image', imageUrl: img(), firstComment: 'hello' },
      { kind: 'reel', videoUrl: vid(), firstComment: 'hello' },
      { kind: 'carousel', firstComment: 'hello', items: [{ imageUrl: img() }, { imageUrl: img() }] },
    ]) {
      expect(accepted(spec)).toMatchObject({ firstComment: 'hello' });
      expect(JSON.stringify(containerPlan(parsePostSpec(spec)))).not.toContain('hello');
    }
  });

  it('has a caption\'s limits, every problem with its path', () => {
    const issues = issuesOf({ kind: 'carousel', firstComment: `${'#t '.repeat(31)}${'@u '.repeat(21)}${'x'.repeat(2200)}`, items: [{ imageUrl: img(), firstComment: 'no' }, { imageUrl: img() }] });
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toContainEqual(expect.stringMatching(/^firstComment: firstComment is \d+ characters \(UTF-16 units\); the maximum is 2200$/));
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'firstComment', message: 'firstComment has 31 hashtags; the maximum is 30' },
        { path: 'firstComment', message: 'firstComment has 21 @mentions; the maximum is 20' },
        { path: 'items[0].firstComment', message: 'carousel items take no firstComment: put it on the carousel' },
      ]),
    );
    expect(issuesOf({ kind: 'image', imageUrl: img(), firstComment: '   ' })).toEqual([{ path: 'firstComment', message: 'firstComment must not be blank' }]);
    expect(issuesOf({ kind: 'image', imageUrl: img(), firstComment: 5 })).toEqual([{ path: 'firstComment', message: 'firstComment must be a string' }]);
  });

  it('is refused on a story and a sequence of stories', () => {
    const message = 'stories take no comments: firstComment is for an image, a reel or a carousel';
    expect(issuesOf({ kind: 'story', imageUrl: img(), firstComment: 'x' })).toEqual([{ path: 'firstComment', message }]);
    expect(issuesOf({ kind: 'stories', items: [{ imageUrl: img(), firstComment: 'x' }], firstComment: 'x' })).toEqual(
      expect.arrayContaining([{ path: 'firstComment', message }, { path: 'items[0].firstComment', message }]),
    );
  });
});
