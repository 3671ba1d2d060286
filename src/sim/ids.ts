/**
 * Hands out Graph-looking numeric IDs (17 digits, like `17889455560051444`)
 * in a deterministic sequence. They are strings: they exceed 2^53.
 */
export class IdSource {
  private containers = 0;
  private media = 0;
  private traces = 0;
  private comments = 0;
  private tokens = 0;

  /** The next IG Comment ID. */
  commentId(): string {
    this.comments += 1;
    return `1790000011${String(this.comments).padStart(7, '0')}`;
  }

  /** A new long-lived token, as a refresh hands it out (opaque, unique per simulator). */
  token(): string {
    this.tokens += 1;
    return `IGsimrefreshed${this.tokens.toString(36).padStart(6, '0')}${Math.random().toString(36).slice(2, 10)}`;
  }

  /** The next container (IG Container) ID. */
  containerId(): string {
    this.containers += 1;
    return `1788945556${String(this.containers).padStart(7, '0')}`;
  }

  /** The next published media (IG Media) ID. */
  mediaId(): string {
    this.media += 1;
    return `1792023842${String(this.media).padStart(7, '0')}`;
  }

  /** An `fbtrace_id`-looking token, unique per simulator. */
  traceId(): string {
    this.traces += 1;
    return `Sim${this.traces.toString(36).padStart(8, '0')}AbXyZ-q`;
  }
}

const SHORTCODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A permalink shortcode derived from a media ID (Instagram-style base64 digits). */
export function shortcodeOf(mediaId: string): string {
  let n = BigInt(mediaId);
  let out = '';
  while (n > 0n) {
    out = SHORTCODE_ALPHABET[Number(n % 64n)] + out;
    n /= 64n;
  }
  return out || 'A';
}
