/** One table cell: text, or a number right-aligned as given. */
export type Cell = string | number;

/**
 * Prints a plain-text table: a title, a header row, a rule, then the rows.
 * Numbers (and text starting with a digit) are right-aligned, text left.
 */
export function printTable(title: string, header: readonly string[], rows: readonly (readonly Cell[])[]): void {
  const text = rows.map((row) => row.map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...text.map((row) => (row[i] ?? '').length)));
  const right = (cell: string) => /^[-+]?[0-9.,]/.test(cell);
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (right(cell) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  console.log(`\n${title}`);
  console.log(line(header.map((h, i) => (text.some((row) => right(row[i] ?? '')) ? h.padStart(widths[i]!) : h))));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of text) console.log(line(row));
}
