import type { PostEnvelope } from '../adapters/envelope.js';
import type { Claim, PostRepository } from '../adapters/store.js';
import { InvalidPostSpec } from '../spec/invalid-post-spec.js';
import type { Login, PostSpec, SpecKind } from '../spec/post-spec.js';
import { validatePostSpec } from '../spec/validate.js';
import type { Clock } from '../time/clock.js';
import type { MediaChecker, MediaWarning } from '../media/check-media.js';
import { InvalidMedia } from '../media/invalid-media.js';
import { IdempotencyConflict } from './idempotency-conflict.js';
import { machineKindOf } from './machine-input.js';
import { newPostId, postIdForKey } from './post-id.js';
import { pinVideoFiles } from './pin-video-files.js';
import { specHash } from './spec-hash.js';

/** What intake needs from its engine. */
export interface IntakeOptions {
  readonly posts: PostRepository;
  readonly clock: Clock;
  readonly owner: string;
  readonly leaseMs: number;
  /** Where relative `videoFile` paths start (default: the process's working directory). */
  readonly cwd?: string | undefined;
  /** Checks a new post's media before it is stored; none: no media checks. */
  readonly media?: MediaChecker | undefined;
}

/** A post intake took: stored now (with its claim when it is to run here), or found under its key. */
export type Accepted =
  | { readonly created: true; readonly post: PostEnvelope; readonly claim: Claim | undefined; readonly kind: SpecKind; readonly spec: PostSpec; readonly warnings: readonly MediaWarning[] }
  | { readonly created: false; readonly post: PostEnvelope; readonly kind: SpecKind };

/**
 * Intake: the one place a spec is validated (InvalidPostSpec, nothing
 * stored or sent), its media checked (InvalidMedia; a media it cannot
 * read is a warning) and stored as a new post, not started yet (no snapshot:
 * its runner starts the machine from the spec's plan, so the first state's
 * entry actions run in the process that does the work), claimed for this
 * engine in the same write when it is to run here. The same idempotency key returns the post that
 * holds it, unless its content differs (IdempotencyConflict, as Stripe's
 * keys do).
 */
export function createIntake(options: IntakeOptions) {
  return {
    async accept(input: unknown, account: string, login: Login, claimHere: boolean): Promise<Accepted> {
      const validation = validatePostSpec(input, { login });
      if (!validation.ok) throw new InvalidPostSpec(validation.issues);
      const pinned = await pinVideoFiles(validation.spec, options.cwd);
      if (!pinned.ok) throw new InvalidPostSpec([...pinned.issues]);
      const spec = pinned.spec;
      const key = spec.id;
      const hash = specHash(spec, account);
      /** The same key with other content is another post: refused (the first is untouched). */
      const sameContent = (post: PostEnvelope): PostEnvelope => {
        if (key !== undefined && post.specHash !== undefined && post.specHash !== hash) throw new IdempotencyConflict(key, post.postId);
        return post;
      };
      const found = key === undefined ? undefined : await options.posts.findByKey(key);
      if (found !== undefined) return { created: false, post: sameContent(found), kind: spec.kind };
      // a new post's media are checked before it is stored: what Instagram would refuse is refused here, like an invalid spec
      const media = options.media !== undefined && spec.checkMedia !== false ? await options.media.check(spec) : { issues: [], warnings: [] };
      if (media.issues.length > 0) throw new InvalidMedia(media.issues);
      const postId = key === undefined ? newPostId() : postIdForKey(key);
      const machine = machineKindOf(spec);
      const now = options.clock.now();
      const created = await options.posts.create(
        { postId, ...(key === undefined ? {} : { key }), account, machine, status: 'active', state: 'accepted', spec, specHash: hash, createdAt: now, updatedAt: now, ...(spec.publishAt === undefined ? {} : { publishAt: Date.parse(spec.publishAt) }) },
        claimHere ? { owner: options.owner, until: now + options.leaseMs } : undefined,
      );
      if (!created.created) return { created: false, post: sameContent(created.post), kind: spec.kind };
      return { created: true, post: created.post, claim: created.claim, kind: spec.kind, spec, warnings: media.warnings };
    },
  };
}

/** The intake of one engine. */
export type Intake = ReturnType<typeof createIntake>;
