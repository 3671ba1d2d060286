import type { Store } from '../../src/adapters/store.js';
import type { SimRequestInfo, Simulator } from '../../src/sim/simulator.js';

/**
 * Persist before effect (docs/design.md#persist-before-effect), judged from
 * outside: at the moment each request reaches Instagram, the store must
 * already hold the snapshot that asks for it.
 * A media_publish of C: a stored post in `publishing` naming C. A status
 * read of C: a stored post naming C (the container's id was stored before
 * it was polled). A create: a stored post naming its media URL (in its
 * snapshot, or in its spec while it is new: a new post restarts from its
 * spec), or for a resumable one the local file it uploads, or for a
 * carousel parent all of its children. An upload of C: a stored post
 * naming C, like a status read. The quota check
 * and the media listings only read, and are not judged.
 */
export function durabilityChecker(store: Store): { readonly violations: string[]; readonly check: (req: SimRequestInfo) => Promise<void> } {
  const violations: string[] = [];
  const check = async (req: SimRequestInfo) => {
    const { posts } = await store.posts.list();
    const stored = posts.filter((p) => p.status === 'active').map((p) => ({ state: p.state, text: JSON.stringify(p.snapshot ?? p.spec) }));
    const naming = (needle: string) => stored.filter((p) => p.text.includes(JSON.stringify(needle).slice(1, -1)));
    const what = `${req.method} ${req.path} (request ${req.seq})`;
    if (req.endpoint === 'publish') {
      const id = String(req.params.creation_id);
      if (!naming(id).some((p) => p.state === 'publishing')) violations.push(`${what}: no stored post was publishing ${id}`);
    } else if (req.endpoint === 'status' || req.endpoint === 'upload') {
      const id = req.path.split('/').at(-1) ?? '';
      if (naming(id).length === 0) violations.push(`${what}: no stored post names container ${id}`);
    } else if (req.endpoint === 'create') {
      const children = typeof req.params.children === 'string' ? req.params.children.split(',') : undefined;
      const url = req.params.image_url ?? req.params.video_url;
      const resumable = req.params.upload_type === 'resumable';
      const known =
        children !== undefined
          ? stored.some((p) => children.every((c) => p.text.includes(c)))
          : resumable
            ? stored.some((p) => p.text.includes('"videoFile"') || p.text.includes('"upload"'))
            : typeof url === 'string' && naming(url).length > 0;
      if (!known) violations.push(`${what}: the store did not hold what it creates`);
    }
  };
  return { violations, check };
}

/** {@link durabilityChecker} installed as the simulator's arrival hook (before any hook already there). */
export function watchDurability(sim: Simulator, store: Store): { readonly violations: string[]; stop(): void; outside<T>(work: () => Promise<T>): Promise<T> } {
  const { violations, check } = durabilityChecker(store);
  const before = sim.hooks.onRequest;
  let judging = true;
  sim.hooks.onRequest = async (req) => {
    if (judging) await check(req);
    await before?.(req);
  };
  return {
    violations,
    /** Runs requests of some other client of the account (another app), which the store knows nothing of. */
    async outside(work) {
      judging = false;
      try {
        return await work();
      } finally {
        judging = true;
      }
    },
    stop: () => {
      sim.hooks.onRequest = before;
    },
  };
}
