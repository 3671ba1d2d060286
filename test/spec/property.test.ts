import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ContainerPlan } from '../../src/spec/container-plan.js';
import { GraphContainerParams } from '../../src/spec/graph-container-params.js';
import type { ContainerParams } from '../../src/spec/graph-container-params.js';
import { carouselParentParams, containerPlan } from '../../src/spec/graph-params.js';
import type { PostSpec } from '../../src/spec/post-spec.js';
import { validatePostSpec } from '../../src/spec/validate.js';

/** Mostly valid values, sometimes junk: the mix makes both accepted and rejected specs common. */
const mostly = <T>(good: fc.Arbitrary<T>, ...bad: fc.Arbitrary<unknown>[]): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 25 * bad.length, arbitrary: good }, ...bad.map((arbitrary) => ({ weight: 1, arbitrary })));

const junk = fc.anything({ maxDepth: 2, maxKeys: 3 });

const goodUrl = fc
  .tuple(fc.constantFrom('cdn.example', 'media.test', 'x.y.z'), fc.stringMatching(/^[A-Za-z0-9_.~%-]{0,16}$/), fc.constantFrom('.jpg', '.mp4', ''))
  .map(([host, path, ext]) => `https://${host}/${path}${ext}`);
const url = mostly(goodUrl, fc.constantFrom('http://cdn.example/a.jpg', 'https://cdn.example/ä.jpg', 'https://', '', 'no url'), fc.string(), junk);

const captionText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.array(fc.constantFrom('#a', '#', '@b', '@', ' ', 'x', '😀', '#é', '@.'), { maxLength: 70 }).map((parts) => parts.join('')),
  fc.integer({ min: 2195, max: 2205 }).map((n) => 'c'.repeat(n)),
);
const caption = mostly(captionText, junk);
const altText = mostly(fc.string({ maxLength: 30 }), fc.integer({ min: 999, max: 1002 }).map((n) => 'a'.repeat(n)), junk);
const username = mostly(fc.stringMatching(/^@?[A-Za-z0-9._]{1,30}$/), fc.string({ maxLength: 35 }), junk);
const coordinate = mostly(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant(-0), fc.double(), junk);
const digits = mostly(fc.stringMatching(/^[0-9]{1,17}$/), fc.string({ maxLength: 5 }), junk);
const bool = mostly(fc.boolean(), junk);
const thumb = mostly(fc.nat(), fc.constant(-0), fc.integer({ min: -3, max: -1 }), fc.double(), junk);
const list = <T>(item: fc.Arbitrary<T>, maxLength: number) => mostly(fc.array(item, { maxLength }), junk);

const imageTag = fc.record({ username, x: coordinate, y: coordinate }, { requiredKeys: ['username', 'x', 'y'] });
const looseTag = fc.record({ username, x: coordinate, y: coordinate }, { requiredKeys: ['username'] });
const reelTag = fc.oneof({ weight: 6, arbitrary: fc.record({ username }) }, { weight: 1, arbitrary: looseTag });
const common = {
  id: mostly(fc.string({ minLength: 1, maxLength: 40 }), fc.constant(''), junk),
  publishAt: mostly(
    fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
    fc.constantFrom('2026-05-01T09:00:00', 'tomorrow', '2026-02-30T00:00:00Z'),
  ),
};
/** Facebook-Login-only fields: present in a minority of specs, so Instagram-Login runs still accept many. */
const branded = fc.oneof(
  { weight: 4, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.record({ brandedContentSponsorIds: list(digits, 3), isPaidPartnership: bool }, { requiredKeys: [] }) },
);
const withBranded = <T extends object>(arb: fc.Arbitrary<T>) => fc.tuple(arb, branded).map(([s, b]) => ({ ...s, ...b }));

const image = withBranded(fc.record(
  {
    kind: fc.constant('image'),
    imageUrl: url,
    caption,
    altText,
    userTags: list(mostly(imageTag, looseTag), 3),
    locationId: digits,
    isAiGenerated: bool,
    collaborators: mostly(fc.array(username, { maxLength: 3 }), fc.array(username, { minLength: 4, maxLength: 4 })),
    ...common,
  },
  { requiredKeys: ['kind', 'imageUrl'] },
));

const reel = withBranded(fc.record(
  {
    kind: fc.constant('reel'),
    videoUrl: url,
    caption,
    coverUrl: url,
    thumbOffsetMs: thumb,
    shareToFeed: bool,
    trialParams: mostly(fc.record({ graduationStrategy: fc.constantFrom('MANUAL', 'SS_PERFORMANCE') }), fc.record({ graduationStrategy: fc.string() })),
    userTags: list(reelTag, 3),
    locationId: digits,
    collaborators: mostly(fc.array(username, { maxLength: 3 }), fc.array(username, { minLength: 4, maxLength: 4 })),
    audioName: mostly(fc.string({ maxLength: 20 }), junk),
    isAiGenerated: bool,
    ...common,
  },
  { requiredKeys: ['kind', 'videoUrl'] },
));

const storyMedia = fc.oneof(
  { weight: 8, arbitrary: fc.record({ imageUrl: url }) },
  { weight: 8, arbitrary: fc.record({ videoUrl: url }) },
  { weight: 1, arbitrary: fc.record({ imageUrl: url, videoUrl: url }) },
  { weight: 1, arbitrary: fc.constant({}) },
);
const storyItem = fc
  .tuple(storyMedia, fc.record({ userTags: list(looseTag, 3) }, { requiredKeys: [] }))
  .map(([media, rest]) => ({ ...media, ...rest }));
const story = fc.tuple(storyItem, fc.record(common, { requiredKeys: [] })).map(([item, rest]) => ({ kind: 'story', ...item, ...rest }));
const stories = fc.record(
  { kind: fc.constant('stories'), items: mostly(fc.array(storyItem, { minLength: 1, maxLength: 5 }), fc.constant([])), ...common },
  { requiredKeys: ['kind', 'items'] },
);

const carouselItem = fc.oneof(
  { weight: 8, arbitrary: fc.record({ imageUrl: url, altText, userTags: list(mostly(imageTag, looseTag), 2) }, { requiredKeys: ['imageUrl'] }) },
  { weight: 8, arbitrary: fc.record({ videoUrl: url, thumbOffsetMs: thumb }, { requiredKeys: ['videoUrl'] }) },
  { weight: 1, arbitrary: fc.record({ imageUrl: url, videoUrl: url, caption, isAiGenerated: bool }, { requiredKeys: [] }) },
);
const carousel = withBranded(fc.record(
  {
    kind: fc.constant('carousel'),
    caption,
    items: mostly(fc.array(carouselItem, { minLength: 2, maxLength: 10 }), fc.array(carouselItem, { maxLength: 12 })),
    locationId: digits,
    collaborators: mostly(fc.array(username, { maxLength: 3 }), fc.array(username, { minLength: 4, maxLength: 4 })),
    isAiGenerated: bool,
    ...common,
  },
  { requiredKeys: ['kind', 'items'] },
));

/** Sometimes an extra key: unknown, known-wrong, or a different kind. */
const mutation = fc.oneof(
  { weight: 5, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('caption', 'altText', 'mediaType', 'kind', 'items', 'x', '__proto__', 'imageUrl'), junk) },
);
const spec = fc
  .tuple(fc.oneof(image, reel, story, stories, carousel), mutation)
  .map(([s, extra]) => (extra === null ? s : Object.defineProperty({ ...s }, extra[0], { value: extra[1], enumerable: true, writable: true })));

const anyInput = fc.oneof({ weight: 20, arbitrary: spec }, { weight: 1, arbitrary: fc.anything() }, { weight: 1, arbitrary: fc.jsonValue() });
const login = fc.constantFrom('instagram' as const, 'facebook' as const);

function expectGraphParams(params: ContainerParams): void {
  const result = GraphContainerParams.safeParse(params);
  if (!result.success) throw new Error(`bad Graph params ${JSON.stringify(params)}: ${JSON.stringify(result.error.issues)}`);
}

function mediaUrls(s: PostSpec): (string | undefined)[] {
  if (s.kind === 'stories' || s.kind === 'carousel') return s.items.map((i) => i.imageUrl ?? i.videoUrl);
  return [s.kind === 'reel' ? s.videoUrl : s.kind === 'image' ? s.imageUrl : (s.imageUrl ?? s.videoUrl)];
}

function planUrls(plan: ContainerPlan): (string | undefined)[] {
  const entries = plan.kind === 'single' ? [plan] : plan.kind === 'stories' ? plan.items : plan.children;
  return entries.map((e) => e.params.image_url ?? e.params.video_url);
}

describe('random specs (property)', () => {
  it('never throws; accepted specs map to valid Graph params and survive JSON', () => {
    let acceptedCount = 0;
    let rejectedCount = 0;
    fc.assert(
      fc.property(anyInput, login, (input, loginName) => {
        const result = validatePostSpec(input, { login: loginName });
        if (!result.ok) {
          rejectedCount++;
          expect(result.issues.length).toBeGreaterThan(0);
          for (const issue of result.issues) {
            expect(typeof issue.path).toBe('string');
            expect(issue.message.length).toBeGreaterThan(0);
          }
          return;
        }
        acceptedCount++;
        const plan = containerPlan(result.spec);
        expect(ContainerPlan.safeParse(plan).success).toBe(true);
        expect(planUrls(plan)).toEqual(mediaUrls(result.spec));
        if (plan.kind === 'single') expectGraphParams(plan.params);
        if (plan.kind === 'stories') plan.items.forEach((entry) => expectGraphParams(entry.params));
        if (plan.kind === 'carousel') {
          plan.children.forEach((entry) => expectGraphParams(entry.params));
          const ids = plan.children.map((_, i) => `1789${i}`);
          const parent = carouselParentParams(plan.parent.params, ids);
          expectGraphParams(parent);
          expect(parent.children).toBe(ids.join(','));
        }
        const again = validatePostSpec(JSON.parse(JSON.stringify(result.spec)), { login: loginName });
        expect(again).toEqual({ ok: true, spec: result.spec });
      }),
      { numRuns: 2500 },
    );
    // Both sides must be well exercised, or the properties above prove little.
    expect(acceptedCount).toBeGreaterThan(400);
    expect(rejectedCount).toBeGreaterThan(400);
  });

  it('rejects random junk without throwing', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.jsonValue()), login, (input, loginName) => {
        const result = validatePostSpec(input, { login: loginName });
        expect(result.ok).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});
