/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { judge, expectedPost } from '../../src/sim/oracle.js';
import { startSimulator, type Simulator } from '../../src/sim/simulator.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { spawnCli, tempWorkspace } from '../cli/cli-harness.js';
import { assertPostgresReachable, dropSchema, freshSchema, closeAdminPool, PG_URL } from '../adapters/fixtures/postgres-schema.js';
import { firstLine, launchChromium } from './browser.js';

/** A token the publishers use; it must never reach the watch page or any of its answers. */
const TOKEN = 'IGQWRsecret-watch-test-token-4f1d9c';
const ACCOUNT = '17841400000000001';
const env = { IG_ACCESS_TOKEN: TOKEN, IG_USER_ID: ACCOUNT };
const WAIT = { timeout: 20_000 };

const carousel = { kind: 'carousel', id: 'car-1', caption: 'Two looks for the new season', items: [{ imageUrl: 'https://cdn.example/look-1.jpg' }, { videoUrl: 'https://cdn.example/look-2.mp4' }] };

/** The text of a post's card, or '' while it is not on the page. */
const cardText = (page: Page, key: string): Promise<string> =>
  page.evaluate((k) => document.querySelector<HTMLElement>(`.card[data-key="${k}"]`)?.innerText ?? '', key);

/** Waits until the card of `key` shows the part `label` in `state`; resolves to that row's container id. */
async function partReaches(page: Page, key: string, label: string, state: string): Promise<string> {
  const row = `.card[data-key="${key}"] tr.part[data-part="${label}"]`;
  await page.waitForFunction(([sel, s]) => document.querySelector(`${sel} .part-state`)?.textContent === s, [row, state] as const, WAIT);
  return (await page.locator(`${row} .container`).innerText()).replace('container ', '');
}

/** The paths highlighted as current on the chart of `machine` on a card. */
const highlighted = (page: Page, key: string, machine: string): Promise<string[]> =>
  page.evaluate(([k, m]) => [...document.querySelectorAll(`.card[data-key="${k}"] .chart[data-machine="${m}"] .st.current`)].map((n) => (n as HTMLElement).dataset.path ?? ''), [key, machine] as const);

/** The history lines of a card, oldest first, without their times. */
const historyOf = (page: Page, key: string): Promise<string[]> =>
  page.evaluate((k) => [...document.querySelectorAll(`.card[data-key="${k}"] details.history li`)].map((li): string => (li.textContent ?? '').replace(/^\S+ /, '')), key);

/** Whether `seen` lists the entries of `order` it holds in that order (each state at most once). */
function inOrder(seen: readonly string[], order: readonly string[]): boolean {
  const at = seen.map((s) => order.indexOf(s)).filter((i) => i >= 0);
  return at.every((i, n) => n === 0 || i > (at[n - 1] ?? -1));
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
  await closeAdminPool();
});

describe('igflow watch in chromium', () => {
  const undo: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of undo.splice(0).reverse()) await step();
  });

  /** `igflow watch` on `store` as a child process; resolves to its URL. */
  async function startWatch(store: string, extra: string[] = []): Promise<string> {
    const watch = spawnCli(['watch', '--store', store, ...extra], {});
    undo.push(async () => {
      watch.child.kill('SIGTERM');
      const run = await watch.done;
      expect(run.code, run.stderr).toBe(0);
    });
    return firstLine(watch.output, watch.done, 'igflow watch');
  }

  /** A simulator whose media take as long as its virtual clock says: the test moves it on step by step. */
  async function simulator(clock: VirtualClock): Promise<Simulator> {
    const sim = await startSimulator({ clock, accounts: [{ igUserId: ACCOUNT, token: TOKEN }], scenario: { processing: { imageMs: [1_000, 1_000], videoMs: [30_000, 30_000], parentMs: [1_000, 1_000] } } });
    undo.push(() => sim.close());
    return sim;
  }

  it('shows a carousel and a reel live, from another process on a file store: states in order, the current state, the countdown, the media ids; no token anywhere', async () => {
    const clock = new VirtualClock(Date.now());
    const sim = await simulator(clock);
    const ws = await tempWorkspace();
    undo.push(() => ws.close());
    const url = await startWatch(ws.store);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    undo.push(() => page.close());
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    await page.goto(url);
    await page.waitForFunction(() => document.querySelector('#live')?.textContent === 'live', undefined, WAIT);
    // "live" shows once the stream's headers arrive; the store's first read comes in its first frame, a moment later
    await page.waitForFunction(() => document.querySelector('#posts')?.textContent?.includes('No posts in the store yet.') === true, undefined, WAIT);
    expect(await page.locator('#posts').innerText()).toContain('No posts in the store yet.');

    // the carousel: both items are made and polled while the simulator's clock stands still
    const publishCarousel = spawnCli(['publish', await ws.spec('carousel.json', carousel), '--store', ws.store, '--graph-url', sim.url, '--poll-interval', '20', '--json'], env);
    const item1 = await partReaches(page, 'car-1', 'item 1', 'polling');
    const item2 = await partReaches(page, 'car-1', 'item 2', 'polling');
    const [image, video] = sim.record.containers;
    expect([item1, item2]).toEqual([image?.id, video?.id]);
    const text = await cardText(page, 'car-1');
    expect(text).toContain('Two looks for the new season');
    expect(text).toContain(`account ${ACCOUNT}`);
    expect(await highlighted(page, 'car-1', 'post')).toEqual(['preparing.carousel']);
    expect(await highlighted(page, 'car-1', 'carousel')).toEqual(['items']);
    expect(await page.locator('.card[data-key="car-1"] .chart[data-machine="carousel"] .st.current .badge').innerText()).toBe('1: polling · 2: polling');

    // the image is ready first, then the video; then the parent is made, and the post goes live
    clock.advanceBy(1_000);
    await partReaches(page, 'car-1', 'item 1', 'finished');
    expect(await page.locator('.card[data-key="car-1"] tr.part[data-part="item 2"] .part-state').innerText()).toBe('polling');
    clock.advanceBy(30_000);
    await partReaches(page, 'car-1', 'item 2', 'finished');
    const parent = await partReaches(page, 'car-1', 'parent', 'polling');
    expect(await highlighted(page, 'car-1', 'carousel')).toEqual(['parent']);
    clock.advanceBy(1_000);
    const carouselRun = await publishCarousel.done;
    expect(carouselRun.code, carouselRun.stderr).toBe(0);
    const carouselMedia = (JSON.parse(carouselRun.stdout.trim().split('\n').at(-1) ?? '{}') as { mediaId?: string }).mediaId;
    await page.waitForFunction(() => document.querySelector('.card[data-key="car-1"] .media')?.textContent?.startsWith('published: media '), undefined, WAIT);
    expect(await page.locator('.card[data-key="car-1"] .media').innerText()).toBe(`published: media ${carouselMedia}`);
    expect(sim.record.media.find((m) => m.containerId === parent)?.id).toBe(carouselMedia);
    expect(await highlighted(page, 'car-1', 'post')).toEqual(['published']);
    const carouselHistory = await historyOf(page, 'car-1');
    expect(carouselHistory[0]).toBe('created');
    expect(inOrder(carouselHistory, ['created', 'state preparing', 'state checkingQuota', 'state publishing', 'state published'])).toBe(true);
    expect(carouselHistory).toContain('state preparing');
    expect(carouselHistory).toContain('state published');
    expect(inOrder(carouselHistory, [`item 1: polling (container ${item1})`, `item 1: finished (container ${item1})`])).toBe(true);
    expect(carouselHistory).toContain(`item 1: finished (container ${item1})`);
    expect(carouselHistory.at(-1)).toBe(`published, media ${carouselMedia}`);

    // the reel is ready before its publishAt: the card counts down to it, then shows it live
    const publishAt = new Date(Date.now() + 12_000).toISOString();
    const reel = { kind: 'reel', id: 'reel-1', caption: 'Behind the scenes', videoUrl: 'https://cdn.example/bts.mp4', publishAt };
    const publishReel = spawnCli(['publish', await ws.spec('reel.json', reel), '--store', ws.store, '--graph-url', sim.url, '--poll-interval', '20', '--json'], env);
    await partReaches(page, 'reel-1', 'container', 'polling');
    clock.advanceBy(30_000);
    await page.waitForFunction(() => document.querySelector('.card[data-key="reel-1"] .wait')?.textContent?.includes('(schedule)'), undefined, WAIT);
    expect(await page.locator('.card[data-key="reel-1"] .wait').innerText()).toContain(`waiting until ${publishAt} (schedule)`);
    expect(await highlighted(page, 'reel-1', 'post')).toEqual(['ready']);
    const seconds = async () => Number(/in (\d+) s/.exec(await page.locator('.card[data-key="reel-1"] .countdown').innerText())?.[1]);
    const before = await seconds();
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThanOrEqual(12);
    // the picture in docs/watch.png (IGFLOW_WATCH_SCREENSHOT=docs/watch.png): the carousel live, the reel counting down
    const shot = process.env.IGFLOW_WATCH_SCREENSHOT ?? join(ws.dir, 'watch.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect((await readFile(shot)).subarray(1, 4).toString()).toBe('PNG');
    await page.waitForFunction((s) => Number(/in (\d+) s/.exec(document.querySelector('.card[data-key="reel-1"] .countdown')?.textContent ?? '')?.[1]) < s, before, WAIT);
    const reelRun = await publishReel.done;
    expect(reelRun.code, reelRun.stderr).toBe(0);
    const reelMedia = (JSON.parse(reelRun.stdout.trim().split('\n').at(-1) ?? '{}') as { mediaId?: string }).mediaId;
    await page.waitForFunction(() => document.querySelector('.card[data-key="reel-1"] .media') !== null, undefined, WAIT);
    expect(await page.locator('.card[data-key="reel-1"] .media').innerText()).toBe(`published: media ${reelMedia}`);
    expect(inOrder(await historyOf(page, 'reel-1'), ['created', 'state preparing', 'state ready', 'state checkingQuota', 'state publishing', 'state published'])).toBe(true);
    expect(judge(sim.record, { posts: [expectedPost('car-1', carousel), expectedPost('reel-1', reel)] })).toEqual([]);

    // filters and search
    await page.selectOption('#f-kind', 'reel');
    expect(await page.locator('.card').evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.key))).toEqual(['reel-1']);
    await page.selectOption('#f-kind', '');
    await page.fill('#f-key', 'car');
    expect(await page.locator('.card').evaluateAll((cards) => cards.map((c) => (c as HTMLElement).dataset.key))).toEqual(['car-1']);
    await page.fill('#f-key', '');

    // every asset is igflow's own, and no answer holds the token
    const urls = [...new Set(requested)].filter((u) => !u.startsWith('data:'));
    expect(urls.every((u) => u.startsWith(url))).toBe(true);
    expect(urls.map((u) => new URL(u).pathname).sort()).toEqual(['/', '/api/events', '/watch.css', '/watch.js']);
    for (const u of [...urls.filter((x) => !x.endsWith('/api/events')), `${url}api/posts`]) expect(await (await fetch(u)).text()).not.toContain(TOKEN);
    const events = await fetch(`${url}api/events`);
    const reader = events.body?.getReader();
    const first = await reader?.read();
    await reader?.cancel();
    expect(Buffer.from(first?.value ?? []).toString()).toContain('reel-1');
    expect(Buffer.from(first?.value ?? []).toString()).not.toContain(TOKEN);
    expect(await page.content()).not.toContain(TOKEN);
  }, 90_000);

  it('lists the posts of a PostgreSQL store and follows them live, a page opened late included', async () => {
    await assertPostgresReachable();
    const schema = freshSchema();
    undo.push(() => dropSchema(schema));
    const store = `${PG_URL}?schema=${schema}`;
    const clock = new VirtualClock(Date.now());
    const sim = await simulator(clock);
    const ws = await tempWorkspace();
    undo.push(() => ws.close());
    const url = await startWatch(store);
    const page = await browser.newPage();
    undo.push(() => page.close());
    await page.goto(url);
    // no schema yet: the view says so and keeps looking
    await page.waitForFunction(() => document.querySelector('#problem')?.textContent?.includes('no igflow schema'), undefined, WAIT);

    const image = { kind: 'image', id: 'pg-image', caption: 'From the shared store', imageUrl: 'https://cdn.example/pg.jpg' };
    const publish = spawnCli(['publish', await ws.spec('image.json', image), '--store', store, '--graph-url', sim.url, '--poll-interval', '20', '--json'], env);
    const containerId = await partReaches(page, 'pg-image', 'container', 'polling');
    expect(containerId).toBe(sim.record.containers[0]?.id);
    expect(await page.locator('#problem').innerText()).toBe('');

    const late = await browser.newPage();
    undo.push(() => late.close());
    await late.goto(url);
    expect(await partReaches(late, 'pg-image', 'container', 'polling')).toBe(containerId);
    expect(await historyOf(late, 'pg-image')).toContain(`container: polling (container ${containerId})`);

    clock.advanceBy(1_000);
    const run = await publish.done;
    expect(run.code, run.stderr).toBe(0);
    const mediaId = sim.record.media[0]?.id;
    for (const p of [page, late]) {
      await p.waitForFunction(() => document.querySelector('.card[data-key="pg-image"] .media') !== null, undefined, WAIT);
      expect(await p.locator('.card[data-key="pg-image"] .media').innerText()).toBe(`published: media ${mediaId}`);
    }
    expect(judge(sim.record, { posts: [expectedPost('pg-image', image)] })).toEqual([]);
  }, 60_000);

  it('beyond 127.0.0.1 only with a watch token, which the page asks for and every data request must carry', async () => {
    const refused = await spawnCli(['watch', '--host', '0.0.0.0', '--store', '/nonexistent'], {}).done;
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--host 0.0.0.0 would open the view to the network: igflow watch needs --watch-token');
    expect(refused.stdout).toBe('');
    const short = await spawnCli(['watch', '--host', '0.0.0.0', '--watch-token', 'short'], {}).done;
    expect(short.code).toBe(2);

    const secret = 'watch-secret-0123456789abcdef';
    const ws = await tempWorkspace();
    undo.push(() => ws.close());
    const url = (await startWatch(ws.store, ['--host', '0.0.0.0', '--watch-token', secret])).replace('0.0.0.0', '127.0.0.1');
    expect((await fetch(`${url}api/posts`)).status).toBe(401);
    expect((await fetch(`${url}api/posts`, { headers: { authorization: 'Bearer wrong-secret-0123456789ab' } })).status).toBe(401);
    expect((await fetch(`${url}api/posts`, { headers: { authorization: `Bearer ${secret}` } })).status).toBe(200);
    expect((await fetch(url, { method: 'POST' })).status).toBe(405);
    for (const path of ['', 'watch.js', 'watch.css']) expect(await (await fetch(`${url}${path}`)).text()).not.toContain(secret);

    const page = await browser.newPage();
    undo.push(() => page.close());
    await page.goto(url);
    await page.waitForSelector('#token-form:not([hidden])', WAIT);
    await page.fill('#token', secret);
    await page.click('#token-form button');
    await page.waitForFunction(() => document.querySelector('#live')?.textContent === 'live', undefined, WAIT);
    expect(await page.content()).not.toContain(secret);
  }, 30_000);

  it('answers only requests for 127.0.0.1 without a token (a page of another site cannot read it by DNS rebinding)', async () => {
    const ws = await tempWorkspace();
    undo.push(() => ws.close());
    const url = await startWatch(ws.store);
    const port = new URL(url).port;
    const { request } = await import('node:http');
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/api/posts', headers: { host: `evil.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject).end();
    });
    expect(status).toBe(403);
    expect((await fetch(`${url}api/posts`)).status).toBe(200);
  });
});
