/**
 * Posts wanted at a time: a min-heap of (at, postId) with one entry per
 * post (a later `add` replaces the earlier; stale heap entries are dropped
 * lazily). A post waiting to be taken up costs one heap entry.
 */
export class DueQueue {
  private heap: Array<{ at: number; postId: string }> = [];
  private readonly when = new Map<string, number>();

  /** Whether a post is wanted. */
  has(postId: string): boolean {
    return this.when.has(postId);
  }

  /** Wants a post at `at` (replacing any earlier time). */
  add(postId: string, at: number): void {
    this.when.set(postId, at);
    this.push({ at, postId });
  }

  /** Stops wanting a post. */
  delete(postId: string): void {
    this.when.delete(postId);
  }

  /** Forgets every post. */
  clear(): void {
    this.heap = [];
    this.when.clear();
  }

  /** When the earliest post is wanted; undefined when none is. */
  nextAt(): number | undefined {
    this.dropStale();
    return this.heap[0]?.at;
  }

  /** Removes and returns the posts wanted at or before `now`, earliest first. */
  takeDue(now: number): string[] {
    const due: string[] = [];
    for (this.dropStale(); this.heap[0] !== undefined && this.heap[0].at <= now; this.dropStale()) {
      const { postId } = this.pop()!;
      this.when.delete(postId);
      due.push(postId);
    }
    return due;
  }

  /** Moves every post wanted before `until` to `until` (the store is down until then). */
  postpone(until: number): void {
    for (const [postId, at] of this.when) if (at < until) this.add(postId, until);
  }

  /** Drops heap entries superseded by a later add or a delete. */
  private dropStale(): void {
    while (this.heap[0] !== undefined && this.when.get(this.heap[0].postId) !== this.heap[0].at) this.pop();
  }

  private push(entry: { at: number; postId: string }): void {
    const heap = this.heap;
    heap.push(entry);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.at <= heap[i]!.at) break;
      [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
      i = parent;
    }
  }

  private pop(): { at: number; postId: string } | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l]!.at < heap[m]!.at) m = l;
        if (r < heap.length && heap[r]!.at < heap[m]!.at) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i]!, heap[m]!];
        i = m;
      }
    }
    return top;
  }
}
