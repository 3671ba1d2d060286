/** Cells of a progress bar drawn by {@link byteBar}. */
const WIDTH = 24;

/** An upload's progress as a bar for a terminal line: `[██████░░░░] 45 % 22.1 / 50.0 MB`. */
export function byteBar(sent: number, total: number): string {
  const share = total <= 0 ? 1 : Math.min(1, Math.max(0, sent / total));
  const full = Math.round(share * WIDTH);
  const mb = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1);
  return `uploading [${'█'.repeat(full)}${'░'.repeat(WIDTH - full)}] ${String(Math.floor(share * 100)).padStart(3)} % ${mb(sent)} / ${mb(total)} MB`;
}
