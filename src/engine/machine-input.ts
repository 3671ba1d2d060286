import type { MachineKind } from '../adapters/envelope.js';
import type { ContainerLimits } from '../machines/container-machine.js';
import { mediaMatchOf } from '../machines/media-match.js';
import type { PostInput } from '../machines/post-machine.js';
import type { StoriesInput } from '../machines/stories-machine.js';
import { containerPlan } from '../spec/graph-params.js';
import type { PostSpec } from '../spec/post-spec.js';

/** Which machine a post runs, and the input it starts from. */
export type MachineStart = { readonly machine: 'post'; readonly input: PostInput } | { readonly machine: 'stories'; readonly input: StoriesInput };

/** Which machine runs a spec: the stories machine for a sequence, the post machine for everything else. */
export function machineKindOf(spec: PostSpec): MachineKind {
  return spec.kind === 'stories' ? 'stories' : 'post';
}

/**
 * What a post's machine starts from: a validated spec, parsed once into its
 * plan (the containers and their exact Graph parameters), how to recognise
 * it among the account's media, and its publishAt. The machines never see
 * the spec itself.
 */
export function machineInputOf(spec: PostSpec, postId: string, account: string, containerLimits?: Partial<ContainerLimits>): MachineStart {
  const publishAt = spec.publishAt === undefined ? undefined : Date.parse(spec.publishAt);
  const plan = containerPlan(spec);
  if (plan.kind === 'stories' || spec.kind === 'stories') {
    if (plan.kind !== 'stories') throw new TypeError('a stories spec has a stories plan');
    return { machine: 'stories', input: { postId, account, items: plan.items, publishAt, containerLimits } };
  }
  const firstComment = 'firstComment' in spec ? spec.firstComment : undefined;
  return { machine: 'post', input: { postId, account, plan, match: mediaMatchOf(spec), publishAt, containerLimits, ...(firstComment === undefined ? {} : { firstComment }) } };
}
