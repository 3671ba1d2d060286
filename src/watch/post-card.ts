import type { PostEnvelope } from '../adapters/envelope.js';
import type { WaitReason } from '../machines/progress.js';
import { describePost, mediaIdOf } from '../views/describe-post.js';
import { childOf, contextNumber, contextString, runningWaits, snapshotTree, statePath, type SnapshotNode } from './snapshot-tree.js';
import { waitReasonOf } from './wait-reason.js';

/** One container of a post as a card shows it: a carousel item, the carousel's parent, a story, or the single container. */
export interface PartView {
  /** `item 1`, `parent`, `story 2`, `container`. */
  readonly label: string;
  /** Its container machine's top-level state (`creating`, `polling`, `finished`…), or for a story `published` / `queued`; null when the store no longer says. */
  readonly state: string | null;
  /** Its full state path (`polling.waiting`), for the chart. */
  readonly path: string | null;
  readonly containerId: string | null;
  /** For a resumable upload: whether Instagram has every byte, and the file's size when known. */
  readonly upload: { readonly done: boolean; readonly bytes: number | null } | null;
  /** For a story already live: its media id. */
  readonly mediaId: string | null;
}

/** A wait of the post: until when (epoch ms) and why. */
export interface WaitView {
  readonly until: number;
  readonly reason: WaitReason;
}

/** One chart on a card: which machine, and the states to highlight (with a badge naming the part that is there). */
export interface ChartMarks {
  readonly machine: 'post' | 'stories' | 'carousel' | 'container';
  readonly marks: readonly { readonly path: string; readonly badge: string | null }[];
}

/**
 * What `igflow watch` shows of one post, computed from its stored envelope
 * alone (any process may have written it). Never the snapshot itself, the
 * lease token or anything secret.
 */
export interface PostCard {
  readonly postId: string;
  readonly key: string | null;
  readonly kind: string;
  readonly account: string;
  /** The first 120 characters of the caption, when it has one. */
  readonly caption: string | null;
  readonly status: PostEnvelope['status'];
  /** The state the engine stored (`preparing`, `waitingQuota`, `published`…). */
  readonly state: string;
  /** The one line `igflow status` prints for it. */
  readonly summary: string;
  readonly wait: WaitView | null;
  readonly parts: readonly PartView[];
  readonly charts: readonly ChartMarks[];
  readonly mediaId: string | null;
  readonly error: { readonly message: string; readonly remedy: string } | null;
  /** Who works on it now (the owner's name, never the lease token). */
  readonly heldBy: string | null;
  readonly version: number;
  readonly createdAt: number;
  readonly updatedAt: number;
}

const CAPTION_EXCERPT = 120;

function specField(spec: unknown, field: string): unknown {
  return typeof spec === 'object' && spec !== null && field in spec ? (spec as Record<string, unknown>)[field] : undefined;
}

function specItems(spec: unknown): number {
  const items = specField(spec, 'items');
  return Array.isArray(items) ? items.length : 0;
}

function excerpt(text: unknown): string | null {
  if (typeof text !== 'string' || text === '') return null;
  return text.length <= CAPTION_EXCERPT ? text : `${text.slice(0, CAPTION_EXCERPT - 1)}…`;
}

function uploadOf(node: SnapshotNode): PartView['upload'] {
  const upload = node.context?.upload;
  if (typeof upload !== 'object' || upload === null) return null;
  const size = specField(upload, 'size');
  return { done: node.context?.uploaded === true, bytes: typeof size === 'number' ? size : null };
}

/** A container machine's actor as a part. */
function containerPart(label: string, node: SnapshotNode | undefined, fallbackId?: string): PartView {
  const path = node === undefined ? null : (statePath(node.value) ?? null);
  return {
    label,
    state: path?.split('.')[0] ?? null,
    path,
    containerId: contextString(node, 'containerId') ?? fallbackId ?? null,
    upload: node === undefined ? null : uploadOf(node),
    mediaId: null,
  };
}

function refId(ref: unknown): string | undefined {
  const id = specField(ref, 'containerId');
  return typeof id === 'string' ? id : undefined;
}

/** The parts and charts of a post machine's tree (a single post, a carousel, or one story of a sequence). */
function postMachineParts(root: SnapshotNode, count: number): { parts: PartView[]; charts: ChartMarks[] } {
  const container = childOf(root, 'container');
  if (container?.src === 'carousel') {
    const carousel = container.snapshot;
    const refs = Array.isArray(carousel.context?.children) ? (carousel.context.children as unknown[]) : [];
    const done = Array.isArray(carousel.context?.done) ? (carousel.context.done as unknown[]) : [];
    const parts: PartView[] = [];
    for (let i = 0; i < Math.max(count, refs.length); i += 1) {
      const node = childOf(carousel, `item-${i}`)?.snapshot;
      const part = containerPart(`item ${i + 1}`, node, refId(refs[i]));
      parts.push(node === undefined && done[i] === true ? { ...part, state: 'finished', path: 'finished' } : part);
    }
    const parent = childOf(carousel, 'parent')?.snapshot;
    if (parent !== undefined || refId(carousel.context?.parent) !== undefined) parts.push(containerPart('parent', parent, refId(carousel.context?.parent)));
    const carouselPath = statePath(carousel.value);
    const itemBadges = parts.filter((p) => p.state !== null && p.label !== 'parent').map((p) => `${p.label.replace('item ', '')}: ${p.state}`).join(' · ');
    return {
      parts,
      charts: [
        { machine: 'carousel', marks: carouselPath === undefined ? [] : [{ path: carouselPath, badge: carouselPath === 'items' && itemBadges !== '' ? itemBadges : null }] },
        { machine: 'container', marks: parts.flatMap((p) => (p.path === null ? [] : [{ path: p.path, badge: p.label === 'parent' ? 'P' : p.label.replace('item ', '') }])) },
      ],
    };
  }
  if (container !== undefined) {
    const part = containerPart('container', container.snapshot);
    return { parts: [part], charts: [{ machine: 'container', marks: part.path === null ? [] : [{ path: part.path, badge: null }] }] };
  }
  return preparedParts(root);
}

/** Past `preparing`, the containers are no longer running: the post's context keeps the finished ones. */
function preparedParts(root: SnapshotNode): { parts: PartView[]; charts: ChartMarks[] } {
  const finished = (label: string, ref: unknown): PartView => ({ label, state: 'finished', path: 'finished', containerId: refId(ref) ?? null, upload: null, mediaId: null });
  const refs = Array.isArray(root.context?.children) ? (root.context.children as unknown[]) : [];
  const made = root.context?.container;
  if (refId(made) === undefined) return { parts: [], charts: [] };
  const parts = refs.length > 0 ? [...refs.map((ref, i) => finished(`item ${i + 1}`, ref)), finished('parent', made)] : [finished('container', made)];
  const badges = parts.map((p) => (p.label === 'parent' ? 'P' : p.label.replace('item ', ''))).filter((b) => b !== 'container');
  return { parts, charts: [{ machine: 'container', marks: [{ path: 'finished', badge: badges.length > 0 ? badges.join(' ') : null }] }] };
}

/** The container a post went live with is `published`; a compacted post still names it in its result. */
function withPublished(post: PostEnvelope, parts: PartView[]): PartView[] {
  if (post.result?.outcome !== 'published' || post.machine === 'stories') return parts;
  const containerId = post.result.containerId;
  const label = specField(post.spec, 'kind') === 'carousel' ? 'parent' : 'container';
  const own = parts.some((p) => p.label === label);
  const mark = (p: PartView): PartView => (p.label === label ? { ...p, state: 'published', path: 'published', containerId: p.containerId ?? containerId } : p);
  return own ? parts.map(mark) : [...parts, { label, state: 'published', path: 'published', containerId, upload: null, mediaId: null }];
}

/** The parts of a sequence of stories: the live ones, the one being made, the ones queued. */
function storiesParts(root: SnapshotNode, count: number): { parts: PartView[]; charts: ChartMarks[] } {
  const index = contextNumber(root, 'index') ?? 0;
  const published = Array.isArray(root.context?.published) ? (root.context.published as unknown[]) : [];
  const story = childOf(root, 'story')?.snapshot;
  const current = story === undefined ? undefined : childOf(story, 'container')?.snapshot;
  const parts: PartView[] = [];
  for (let i = 0; i < count; i += 1) {
    const live = published.find((p) => specField(p, 'index') === i);
    if (live !== undefined) {
      const mediaId = specField(live, 'mediaId');
      parts.push({ label: `story ${i + 1}`, state: 'published', path: null, containerId: refId(live) ?? null, upload: null, mediaId: typeof mediaId === 'string' ? mediaId : null });
    } else if (i === index && current !== undefined) parts.push(containerPart(`story ${i + 1}`, current));
    else parts.push({ label: `story ${i + 1}`, state: i === index ? 'starting' : 'queued', path: null, containerId: null, upload: null, mediaId: null });
  }
  const storyPath = story === undefined ? undefined : statePath(story.value);
  const currentPath = current === undefined ? undefined : statePath(current.value);
  return {
    parts,
    charts: [
      { machine: 'post', marks: storyPath === undefined ? [] : [{ path: storyPath, badge: `story ${index + 1}` }] },
      { machine: 'container', marks: currentPath === undefined ? [] : [{ path: currentPath, badge: `story ${index + 1}` }] },
    ],
  };
}

/** The post's wait: the envelope's when it is parked, else the earliest wait running in its snapshot. */
function waitOf(post: PostEnvelope, root: SnapshotNode | undefined): WaitView | null {
  if (post.status !== 'active') return null;
  if (post.wakeAt !== undefined) return { until: post.wakeAt, reason: post.waitReason ?? 'processing' };
  if (root === undefined) return null;
  const waits = runningWaits(root, post.machine);
  const first = waits.reduce<(typeof waits)[number] | undefined>((a, b) => (a === undefined || b.until < a.until ? b : a), undefined);
  return first === undefined ? null : { until: first.until, reason: waitReasonOf(first.machine, first.path) };
}

/** The card of a stored post. Pure: the same envelope gives the same card. */
export function postCard(post: PostEnvelope): PostCard {
  const root = snapshotTree(post.snapshot);
  const kind = specField(post.spec, 'kind');
  const count = specItems(post.spec);
  const inner = root === undefined ? { parts: [], charts: [] } : post.machine === 'stories' ? storiesParts(root, count) : postMachineParts(root, count);
  const rootPath = root === undefined ? post.state : (statePath(root.value) ?? post.state);
  const error = post.result?.outcome === 'failed' ? { message: post.result.error.message, remedy: post.result.error.remedy } : null;
  return {
    postId: post.postId,
    key: post.key ?? null,
    kind: typeof kind === 'string' ? kind : post.machine,
    account: post.account,
    caption: excerpt(specField(post.spec, 'caption')),
    status: post.status,
    state: post.state,
    summary: describePost(post),
    wait: waitOf(post, root),
    parts: withPublished(post, inner.parts),
    // a finished post shows where it ended; its containers' charts are of no more use
    charts: [{ machine: post.machine, marks: [{ path: post.status === 'active' ? rootPath : post.status, badge: null }] }, ...(post.status === 'active' ? inner.charts : [])],
    mediaId: mediaIdOf(post) ?? null,
    error,
    heldBy: post.lease?.owner ?? null,
    version: post.version,
    createdAt: post.createdAt,
    updatedAt: post.updatedAt,
  };
}
