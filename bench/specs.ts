import type { GraphClientOptions } from '../src/graph/graph-options.js';
import { DEFAULT_ACCOUNT } from '../src/sim/simulator.js';

/** An image post spec as a user writes it: unique media URL and caption per `tag` and index. */
export interface ImageSpecInput {
  readonly kind: 'image';
  readonly imageUrl: string;
  readonly caption: string;
  readonly publishAt?: string;
}

/** What every caption of a run named `tag` starts with (the run's publishes are found by it). */
export function captionPrefix(tag: string): string {
  return `bench ${tag} #`;
}

/** Image post number `index` of a run named `tag`, optionally scheduled at `publishAt` (epoch ms). */
export function imageSpec(tag: string, index: number, publishAt?: number): ImageSpecInput {
  const spec = { kind: 'image', imageUrl: `https://cdn.example/bench/${tag}/${index}.jpg`, caption: `${captionPrefix(tag)}${index}` } as const;
  return publishAt === undefined ? spec : { ...spec, publishAt: isoSeconds(publishAt) };
}

/** The Graph parameters igflow sends for {@link imageSpec} (`POST /{user}/media`), for the plain loop. */
export function imageParams(tag: string, index: number): { readonly image_url: string; readonly caption: string } {
  const spec = imageSpec(tag, index);
  return { image_url: spec.imageUrl, caption: spec.caption };
}

/** ISO-8601 with seconds and `Z`, as post specs take it. */
export function isoSeconds(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Engine graph options for the simulator's default account at `baseUrl`. */
export function simGraph(baseUrl: string): GraphClientOptions {
  return { accessToken: DEFAULT_ACCOUNT.token, igUserId: DEFAULT_ACCOUNT.igUserId, baseUrl };
}
