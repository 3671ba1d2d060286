import type { EngineEvent } from '../../engine/engine-events.js';

/** Where the CLI's output goes: engine events and its own messages. */
export interface Reporter {
  /** One engine event. */
  event(event: EngineEvent): void;
  /** A message of the CLI's own (to stderr for the JSON reporter, so stdout stays NDJSON). */
  message(text: string): void;
  /** Flushes and stops any animation. */
  close(): void;
}

/** A short name for a post in human output: its key when it has one. */
export function postLabel(postId: string, key: string | null | undefined): string {
  return key ?? (postId.length > 14 ? `${postId.slice(0, 14)}…` : postId);
}

const megabytes = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);

/** A wait in words: when the post goes on, and for a retry what failed and since when. */
function describeWait(event: Extract<EngineEvent, { type: 'waiting' }>): string {
  switch (event.reason) {
    case 'schedule':
      return event.publishAt !== undefined && event.publishAt !== event.until
        ? `scheduled for ${event.publishAt} (its container is made at ${event.until})`
        : `waiting (schedule) until ${event.until}`;
    case 'backoff':
      return `retrying at ${event.until}${event.since === undefined ? '' : ` (failing since ${event.since})`}: ${event.error?.message ?? 'failed'}`;
    case 'auth':
      return `waiting for a valid access token: ${event.error?.message ?? 'refused'}${event.error?.remedy ? `\n    → ${event.error.remedy}` : ''}`;
    default:
      return `waiting (${event.reason}) until ${event.until}`;
  }
}

/** One engine event in words, for human output. */
export function describe(event: EngineEvent): string {
  switch (event.type) {
    case 'accepted':
      return `accepted (${event.kind})`;
    case 'resumed':
      return `resumed from ${event.state}`;
    case 'state':
      return event.state;
    case 'container': {
      const who = event.item !== null ? `item ${event.item + 1}` : event.story !== null ? `story ${event.story + 1}` : event.role === 'carousel-parent' ? 'carousel' : 'container';
      return `${who}: ${event.state}${event.containerId ? ` (${event.containerId})` : ''}`;
    }
    case 'waiting':
      return describeWait(event);
    case 'upload': {
      const who = event.item !== null ? `item ${event.item + 1}: ` : event.story !== null ? `story ${event.story + 1}: ` : '';
      return `${who}uploading ${megabytes(event.sent)} of ${megabytes(event.total)} MB (${event.total === 0 ? 100 : Math.floor((event.sent / event.total) * 100)} %)`;
    }
    case 'late':
      return `late: publishAt ${event.publishAt} passed ${Math.round(event.lateByMs / 3_600_000)} h ago; publishing now`;
    case 'comment':
      return `first comment ${event.found ? 'found on the media' : 'posted'} (${event.commentId})`;
    case 'comment-failed':
      return `first comment failed${event.retrying ? `, retrying at ${event.retryAt ?? 'once more'}` : ', given up (the post is live)'}: ${event.error.message}`;
    case 'token-expiring':
      return `the access token of ${event.account} expires at ${event.expiresAt}: renew it`;
    case 'published':
      return `published, media ${event.mediaId ?? 'id unknown (the post is live)'}${event.commentId === undefined ? '' : `, first comment ${event.commentId}`}`;
    case 'failed':
      return `failed: ${event.error.message}${event.error.remedy ? `\n    → ${event.error.remedy}` : ''}`;
    case 'cancelled':
      return `cancelled at ${event.cancelledAt}: it will not be published`;
    case 'interrupted':
      return `interrupted: ${event.reason} (resume to finish)`;
    case 'problem':
      return `problem: ${event.message}`;
    case 'warning':
      return `warning: ${event.path}: ${event.message}`;
  }
}
