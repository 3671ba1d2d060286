import { describe, expect, it } from 'vitest';
import { InvalidPostSpec } from '../../src/spec/invalid-post-spec.js';
import { formatPath } from '../../src/spec/issues.js';
import { postSpecSchema } from '../../src/spec/post-spec.js';
import { parsePostSpec, validatePostSpec } from '../../src/spec/validate.js';
import { accepted, carouselItems, img, issuesOf, vid } from './helpers.js';

describe('every problem at once', () => {
  it('reports 5 problems of one carousel as 5 issues with 5 paths', () => {
    const spec = {
      kind: 'carousel',
      caption: '#x'.repeat(31),
      locationId: 'Paris',
      items: [
        { imageUrl: 'http://cdn.example/1.jpg' },
        { videoUrl: vid(), caption: 'no captions on items' },
        { imageUrl: img(), isAiGenerated: true },
      ],
    };
    const issues = issuesOf(spec);
    expect(issues).toHaveLength(5);
    expect(new Set(issues.map((i) => i.path)).size).toBe(5);
    expect([...issues].sort(byPath)).toEqual([
      { path: 'caption', message: 'caption has 31 hashtags; the maximum is 30' },
      { path: 'items[0].imageUrl', message: 'must use https://' },
      { path: 'items[1].caption', message: 'carousel items take no caption: put it on the carousel' },
      { path: 'items[2].isAiGenerated', message: 'isAiGenerated goes on the carousel, not on its items' },
      { path: 'locationId', message: 'locationId must be a string of digits (a Facebook Page ID)' },
    ]);
  });

  it('reports unknown keys one by one, alongside type errors and cross-field rules', () => {
    const issues = issuesOf({ kind: 'story', imageUrl: 42, videoUrl: vid(), foo: 1, bar: 2, caption: 'x' });
    expect(issues.map((i) => i.path).sort()).toEqual(['(root)', 'bar', 'caption', 'foo', 'imageUrl']);
    expect(issues).toContainEqual({ path: '(root)', message: 'a story takes one of imageUrl, videoUrl or videoFile' });
  });

  it('runs the cross-field rules of an item even when its other fields fail', () => {
    const items = [{ imageUrl: img() }, { videoUrl: vid(), altText: 'no', thumbOffsetMs: 'soon', locationId: '1' }];
    expect(issuesOf({ kind: 'carousel', items })).toEqual([
      { path: 'items[1].thumbOffsetMs', message: 'thumbOffsetMs must be a whole number of milliseconds' },
      { path: 'items[1].locationId', message: 'locationId goes on the carousel, not on its items' },
      { path: 'items[1].altText', message: 'video items take no altText: alt text is for images only' },
    ]);
  });

  it('reports exactly five issues for a reel with five problems', () => {
    const issues = issuesOf({
      kind: 'reel',
      videoUrl: 'ftp://x/v.mp4',
      thumbOffsetMs: -5,
      trialParams: { graduationStrategy: 'AUTO' },
      userTags: [{ username: 'ok', y: 0.5 }],
      altText: 'no',
    });
    expect(issues).toHaveLength(5);
    expect(issues.map((i) => i.path)).toEqual(['videoUrl', 'thumbOffsetMs', 'trialParams.graduationStrategy', 'userTags[0].y', 'altText']);
  });
});

/** Throws any value, Error or not, as hostile inputs do. */
function raise(value: unknown): never {
  throw value;
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

describe('login rule (branded content needs Facebook Login)', () => {
  const branded = { kind: 'image', imageUrl: img(), brandedContentSponsorIds: ['178'], isPaidPartnership: true };
  it('rejects sponsors and the paid-partnership label under Instagram Login, the default', () => {
    const expected = [
      { path: 'brandedContentSponsorIds', message: 'brandedContentSponsorIds need Facebook Login (login: "facebook"); Instagram Login does not accept them' },
      { path: 'isPaidPartnership', message: 'isPaidPartnership needs Facebook Login (login: "facebook"); Instagram Login does not accept it' },
    ];
    expect(issuesOf(branded)).toEqual(expected);
    expect(issuesOf(branded, { login: 'instagram' })).toEqual(expected);
    expect(issuesOf({ ...branded, kind: 'reel', imageUrl: undefined, videoUrl: vid() }).map((i) => i.path)).toEqual([
      'brandedContentSponsorIds',
      'isPaidPartnership',
    ]);
  });
  it('accepts them under Facebook Login on image, reel and carousel', () => {
    expect(accepted(branded, { login: 'facebook' })).toMatchObject({ brandedContentSponsorIds: ['178'], isPaidPartnership: true });
    accepted({ kind: 'reel', videoUrl: vid(), brandedContentSponsorIds: ['1', '2'] }, { login: 'facebook' });
    accepted({ kind: 'carousel', items: carouselItems(2), isPaidPartnership: false }, { login: 'facebook' });
  });
  it('validates sponsor ids as digit strings', () => {
    expect(issuesOf({ ...branded, brandedContentSponsorIds: ['@brand'] }, { login: 'facebook' })).toEqual([
      { path: 'brandedContentSponsorIds[0]', message: 'a sponsor id must be a string of digits (an IG user ID)' },
    ]);
  });
  it('never allows them on stories', () => {
    expect(issuesOf({ kind: 'story', imageUrl: img(), brandedContentSponsorIds: ['1'] }, { login: 'facebook' })).toEqual([
      { path: 'brandedContentSponsorIds', message: 'unknown field' },
    ]);
  });
  it('builds each schema once', () => {
    expect(postSpecSchema('facebook')).toBe(postSpecSchema('facebook'));
    expect(postSpecSchema('instagram')).toBe(postSpecSchema('instagram'));
    expect(postSpecSchema('instagram')).not.toBe(postSpecSchema('facebook'));
  });
  it('reports an unknown login instead of throwing', () => {
    const result = validatePostSpec(branded, { login: 'twitter' as never });
    expect(result).toEqual({ ok: false, issues: [{ path: '(options).login', message: 'login must be "instagram" or "facebook"' }] });
  });
});

describe('validatePostSpec never throws', () => {
  const root = (message: string) => [{ path: '(root)', message }];
  it.each([null, undefined, 0, 'image', [], [{ kind: 'image' }], true, Symbol('s'), 10n, () => 1])(
    'rejects %s as not an object',
    (input) => {
      expect(validatePostSpec(input)).toEqual({ ok: false, issues: root('a post spec must be a JSON object') });
    },
  );
  it('survives a cyclic object', () => {
    const spec: Record<string, unknown> = { kind: 'stories', items: [] };
    (spec.items as unknown[]).push(spec);
    spec.self = spec;
    const issues = issuesOf(spec);
    expect(issues).toContainEqual({ path: 'self', message: 'unknown field' });
    expect(issues).toContainEqual({ path: 'items[0].kind', message: 'unknown field' });
    expect(() => new InvalidPostSpec(issues)).not.toThrow();
  });
  it('survives huge strings', () => {
    const huge = 'x'.repeat(5_000_000);
    const issues = issuesOf({ kind: 'image', imageUrl: `https://cdn.example/${huge}`, caption: huge, altText: huge, id: huge });
    expect(issues.map((i) => i.path)).toEqual(['caption', 'altText', 'id']);
    expect(issues.every((i) => i.message.length < 200)).toBe(true);
  });
  it('reports a getter that throws as a root issue', () => {
    const spec = { kind: 'image', get imageUrl(): string { throw new Error('no access'); } };
    expect(validatePostSpec(spec)).toEqual({ ok: false, issues: root('the spec could not be read: no access') });
  });
  it('reports a proxy that throws on every trap, and a thrown non-Error', () => {
    const hostile = new Proxy({}, { get: () => raise('nope'), ownKeys: () => raise('nope'), getPrototypeOf: () => raise('nope') });
    expect(validatePostSpec(hostile).ok).toBe(false);
    const kindThrows = { get kind(): string { return raise(Object.assign(Object.create(null) as object, { toString: undefined })); } };
    expect(validatePostSpec(kindThrows)).toEqual({ ok: false, issues: root('the spec could not be read: an unprintable error') });
  });
  it('takes objects without a prototype and a JSON __proto__ key', () => {
    const bare = Object.assign(Object.create(null) as object, { kind: 'image', imageUrl: img() });
    expect(validatePostSpec(bare).ok).toBe(true);
    expect(issuesOf(JSON.parse(`{"kind":"image","imageUrl":"${img()}","__proto__":{"x":1}}`))).toEqual([
      { path: '__proto__', message: 'unknown field' },
    ]);
  });
});

describe('InvalidPostSpec and parsePostSpec', () => {
  it('returns the parsed spec, with the @ stripped from handles', () => {
    expect(parsePostSpec({ kind: 'reel', videoUrl: vid(), collaborators: ['@pal'] })).toEqual({
      kind: 'reel',
      videoUrl: vid(),
      collaborators: ['pal'],
    });
  });
  it('throws a typed error listing every issue on its own line', () => {
    let thrown: unknown;
    try {
      parsePostSpec({ kind: 'story', imageUrl: img(), caption: 'x', zzz: 1 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidPostSpec);
    expect(thrown).toBeInstanceOf(Error);
    const error = thrown as InvalidPostSpec;
    expect(error.name).toBe('InvalidPostSpec');
    expect(error.errorClass).toBe('invalid-input');
    expect(error.retryable).toBe(false);
    expect(error.issues).toEqual([
      { path: 'caption', message: 'stories take no caption: Instagram ignores it, so igflow rejects it' },
      { path: 'zzz', message: 'unknown field' },
    ]);
    expect(error.message.split('\n')).toEqual([
      'invalid post spec (2 problems):',
      'caption: stories take no caption: Instagram ignores it, so igflow rejects it',
      'zzz: unknown field',
    ]);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ name: 'InvalidPostSpec', errorClass: 'invalid-input', retryable: false });
  });
});

describe('formatPath', () => {
  it('renders zod paths as JS-like accessors', () => {
    expect(formatPath([])).toBe('(root)');
    expect(formatPath(['items', 2, 'caption'])).toBe('items[2].caption');
    expect(formatPath(['userTags', 0, 'x'])).toBe('userTags[0].x');
    expect(formatPath(['odd key', 'a-b'])).toBe('["odd key"]["a-b"]');
  });
});
