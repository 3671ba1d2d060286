/**
 * Formats epoch ms the way the Graph API writes media timestamps:
 * `2026-01-01T00:00:00+0000` (seconds, UTC, no colon in the offset).
 */
export function graphTimestamp(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', '+0000');
}
