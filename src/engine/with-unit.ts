/**
 * A persisted snapshot with every machine's base unit (`context.unitMs`,
 * nested machines included) set to `unitMs`. The unit belongs to whoever
 * runs a post (`--poll-interval` of `igflow resume` or `igflow work`), not
 * to whoever stored it; deadlines already computed (`wakeAt`) are kept.
 */
export function withUnit(snapshot: unknown, unitMs: number): unknown {
  if (typeof snapshot !== 'object' || snapshot === null) return snapshot;
  const node = snapshot as { context?: unknown; children?: Record<string, { snapshot?: unknown }> };
  const context = node.context;
  const next: Record<string, unknown> = { ...node };
  if (typeof context === 'object' && context !== null && 'unitMs' in context) next.context = { ...context, unitMs };
  if (node.children !== undefined) {
    next.children = Object.fromEntries(
      Object.entries(node.children).map(([id, child]) => [id, child && typeof child === 'object' ? { ...child, snapshot: withUnit(child.snapshot, unitMs) } : child]),
    );
  }
  return next;
}
