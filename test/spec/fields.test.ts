import { describe, expect, it } from 'vitest';
import { Caption, countHashtags, countMentions } from '../../src/spec/caption.js';
import { IdempotencyKey, LocationId, PublishAt, ThumbOffsetMs, TrialParams } from '../../src/spec/fields.js';
import { HttpsUrl } from '../../src/spec/https-url.js';
import { Username } from '../../src/spec/username.js';
import { ImageUserTag, ReelUserTag, StoryUserTag } from '../../src/spec/user-tags.js';

const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.success ? [] : (result.error?.issues.map((i) => i.message) ?? []);

describe('HttpsUrl', () => {
  it.each(['https://cdn.example/a.jpg', 'https://cdn.example/a%20b.jpg?x=1&y=2#frag', 'HTTPS://CDN.EXAMPLE/A.JPG'])(
    'accepts %s',
    (url) => {
      expect(HttpsUrl.safeParse(url)).toEqual({ success: true, data: url });
    },
  );
  it('rejects http, with its own message', () => {
    expect(messages(HttpsUrl.safeParse('http://cdn.example/a.jpg'))).toEqual(['must use https://']);
  });
  it('rejects non-ASCII characters and spaces', () => {
    expect(messages(HttpsUrl.safeParse('https://cdn.example/ä.jpg'))).toEqual([
      'must contain only printable US-ASCII characters, without spaces (percent-encode the rest)',
    ]);
    expect(messages(HttpsUrl.safeParse('https://cdn.example/a b.jpg'))).toEqual([
      'must contain only printable US-ASCII characters, without spaces (percent-encode the rest)',
    ]);
  });
  it('rejects what the URL parser cannot parse, and the empty string', () => {
    expect(messages(HttpsUrl.safeParse('https//cdn.example/a.jpg'))).toEqual(['is not a parseable URL']);
    expect(messages(HttpsUrl.safeParse('https://'))).toEqual(['is not a parseable URL']);
    expect(messages(HttpsUrl.safeParse(''))).toEqual(['must not be empty']);
  });
  it('rejects non-strings', () => {
    expect(messages(HttpsUrl.safeParse(42))).toEqual(['must be a URL string']);
  });
});

describe('Caption counting rules', () => {
  it('counts # followed by a letter, digit or underscore (any script)', () => {
    expect(countHashtags('#a #1 #_ #é #日本 # ## #-x')).toBe(5);
    expect(countHashtags('##tag')).toBe(1);
    expect(countHashtags('no tags here')).toBe(0);
  });
  it('counts @ followed by [A-Za-z0-9._] only', () => {
    expect(countMentions('@a @1 @. @_ @ @é @-x')).toBe(4);
    expect(countMentions('mail@example.com')).toBe(1);
  });
  it('accepts the empty caption', () => {
    expect(Caption.safeParse('').success).toBe(true);
  });
});

describe('Username', () => {
  it('strips one leading @', () => {
    expect(Username.parse('@someone')).toBe('someone');
    expect(Username.parse('some.one_1')).toBe('some.one_1');
  });
  it('rejects a second @, other characters and the empty handle', () => {
    expect(messages(Username.safeParse('@@x'))).toEqual([
      'username may contain only letters, digits, "." and "_" (one leading "@" is allowed)',
    ]);
    expect(messages(Username.safeParse('has space'))).toHaveLength(1);
    expect(messages(Username.safeParse('@'))).toEqual(['username must not be empty']);
  });
});

describe('UserTag variants', () => {
  it('image tags need x and y; story tags do not; reel tags refuse them', () => {
    expect(ImageUserTag.safeParse({ username: 'a', x: 0.1, y: 0.2 }).success).toBe(true);
    expect(ImageUserTag.safeParse({ username: 'a' }).success).toBe(false);
    expect(StoryUserTag.safeParse({ username: 'a' }).success).toBe(true);
    expect(StoryUserTag.safeParse({ username: 'a', x: 0.3 }).success).toBe(true);
    expect(ReelUserTag.safeParse({ username: 'a' }).success).toBe(true);
    expect(messages(ReelUserTag.safeParse({ username: 'a', x: 0.5 }))).toEqual([
      'reels take usernames only: x and y apply to images and stories',
    ]);
  });
  it('normalises -0 to 0 so a spec survives JSON', () => {
    expect(Object.is(ImageUserTag.parse({ username: 'a', x: -0, y: 0 }).x, 0)).toBe(true);
    expect(Object.is(ThumbOffsetMs.parse(-0), 0)).toBe(true);
  });
  it('refuses unknown keys in a tag', () => {
    expect(ImageUserTag.safeParse({ username: 'a', x: 0, y: 0, z: 0 }).success).toBe(false);
  });
});

describe('small fields', () => {
  it('LocationId takes digit strings only', () => {
    expect(LocationId.safeParse('110123456789').success).toBe(true);
    for (const bad of ['', '12a', ' 12', 12, '1.5']) expect(LocationId.safeParse(bad).success).toBe(false);
  });
  it('TrialParams takes MANUAL or SS_PERFORMANCE and nothing else', () => {
    expect(TrialParams.safeParse({ graduationStrategy: 'MANUAL' }).success).toBe(true);
    expect(TrialParams.safeParse({ graduationStrategy: 'SS_PERFORMANCE' }).success).toBe(true);
    expect(TrialParams.safeParse({ graduationStrategy: 'manual' }).success).toBe(false);
    expect(TrialParams.safeParse({ graduationStrategy: 'MANUAL', extra: 1 }).success).toBe(false);
  });
  it('ThumbOffsetMs takes non-negative safe integers', () => {
    expect(ThumbOffsetMs.safeParse(0).success).toBe(true);
    expect(ThumbOffsetMs.safeParse(15_000).success).toBe(true);
    for (const bad of [-1, 0.5, Number.NaN, Infinity, '10']) expect(ThumbOffsetMs.safeParse(bad).success).toBe(false);
  });
  it('IdempotencyKey is a non-empty string', () => {
    expect(IdempotencyKey.safeParse('post-1').success).toBe(true);
    expect(IdempotencyKey.safeParse('').success).toBe(false);
    expect(IdempotencyKey.safeParse(1).success).toBe(false);
  });
  it.each(['2026-05-01T09:00:00Z', '2026-05-01T09:00:00+02:00', '2026-05-01T09:00:00.123-05:30'])('PublishAt accepts %s', (s) => {
    expect(PublishAt.safeParse(s).success).toBe(true);
  });
  it.each(['2026-05-01T09:00:00', '2026-05-01', '2026-02-30T09:00:00Z', 'tomorrow', '2026-05-01 09:00:00Z'])(
    'PublishAt rejects %s',
    (s) => {
      expect(messages(PublishAt.safeParse(s))).toEqual([
        'publishAt must be an ISO-8601 date-time with seconds and an offset, e.g. 2026-05-01T09:00:00Z',
      ]);
    },
  );
});
