import { machineInputOf } from '../../src/engine/machine-input.js';
import type { PostInput } from '../../src/machines/post-machine.js';
import type { StoriesInput } from '../../src/machines/stories-machine.js';
import { DEFAULT_ACCOUNT } from '../../src/sim/simulator.js';
import { validatePostSpec } from '../../src/spec/validate.js';

/** The post machine's input for a spec, as intake builds it (the spec must be a valid image, reel, story or carousel). */
export function postInputOf(raw: unknown, postId = 'p1', account = DEFAULT_ACCOUNT.igUserId, extra: Partial<PostInput> = {}): PostInput {
  const validation = validatePostSpec(raw);
  if (!validation.ok) throw new Error(`invalid test spec: ${validation.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  const start = machineInputOf(validation.spec, postId, account);
  if (start.machine !== 'post') throw new Error('a stories spec runs the stories machine');
  return { ...start.input, ...extra };
}

/** The stories machine's input for a `stories` spec, as intake builds it. */
export function storiesInputOf(raw: unknown, postId = 'p1', account = DEFAULT_ACCOUNT.igUserId): StoriesInput {
  const validation = validatePostSpec(raw);
  if (!validation.ok) throw new Error('invalid test spec');
  const start = machineInputOf(validation.spec, postId, account);
  if (start.machine !== 'stories') throw new Error('not a stories spec');
  return start.input;
}
