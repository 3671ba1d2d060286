import type { GraphClient } from '../graph/client.js';
import type { ContainerParams } from '../spec/graph-container-params.js';
import type { PollHistory, ProcessingKind } from './poll-history.js';

/** Containers followed at once at most; the oldest are forgotten first (a post that stopped never reads its container again). */
const MAX_FOLLOWED = 10_000;

interface Followed {
  readonly kind: ProcessingKind;
  readonly createdAt: number;
  /** When a read last saw it still processing (undefined: not read yet). */
  pendingAt: number | undefined;
}

/** The kind of processing a container's parameters ask for. */
export function processingKindOf(params: ContainerParams): ProcessingKind {
  if (params.media_type === 'CAROUSEL') return 'parent';
  if (params.video_url !== undefined || params.media_type === 'VIDEO' || params.media_type === 'REELS') return 'video';
  return 'image';
}

/**
 * The same Graph client, watched: every container it creates is followed
 * until a status read sees it FINISHED, and then its processing time is
 * told to `history` as the interval between the last read that saw it
 * still processing (or its creation) and that read. The FINISHED read
 * alone is only an upper bound; the interval keeps what is known and no
 * more. Containers this process did not create (found in the store after a
 * restart) are not followed: their creation time is the machine's, not
 * seen here. A status igflow does not know (polled on like IN_PROGRESS)
 * changes nothing; a container that ends otherwise (ERROR, EXPIRED,
 * PUBLISHED) tells nothing. A resumable container's processing is timed
 * from the end of its upload. Times come from `now`, the engine's clock.
 */
export function observedGraph(graph: GraphClient, history: PollHistory, now: () => number): GraphClient {
  const followed = new Map<string, Followed>();
  const createContainer: GraphClient['createContainer'] = async (params, callOptions) => {
    const id = await graph.createContainer(params, callOptions);
    followed.set(id, { kind: processingKindOf(params), createdAt: now(), pendingAt: undefined });
    if (followed.size > MAX_FOLLOWED) {
      const oldest = followed.keys().next();
      if (oldest.done !== true) followed.delete(oldest.value);
    }
    return id;
  };
  const containerStatus: GraphClient['containerStatus'] = async (containerId, callOptions) => {
    const status = await graph.containerStatus(containerId, callOptions);
    const seen = followed.get(containerId);
    if (seen === undefined) return status;
    const at = now();
    if (status.statusCode === 'IN_PROGRESS') {
      seen.pendingAt = at;
    } else if (status.statusCode !== 'UNKNOWN') {
      followed.delete(containerId);
      if (status.statusCode === 'FINISHED') history.observe({ account: graph.igUserId, kind: seen.kind, lowMs: (seen.pendingAt ?? seen.createdAt) - seen.createdAt, highMs: at - seen.createdAt });
    }
    return status;
  };
  // a resumable container starts processing once its bytes are all in: its clock starts then, not at its creation
  const upload: GraphClient['upload'] = async (containerId, body, callOptions) => {
    await graph.upload(containerId, body, callOptions);
    const seen = followed.get(containerId);
    if (seen !== undefined) followed.set(containerId, { ...seen, createdAt: now(), pendingAt: undefined });
  };
  return new Proxy(graph, {
    get(target, name, receiver) {
      if (name === 'createContainer') return createContainer;
      if (name === 'containerStatus') return containerStatus;
      if (name === 'upload') return upload;
      const value = Reflect.get(target, name, receiver) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
