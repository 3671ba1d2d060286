import { carouselMachine } from '../machines/carousel-machine.js';
import { containerMachine } from '../machines/container-machine.js';
import { postMachine } from '../machines/post-machine.js';
import { storiesMachine } from '../machines/stories-machine.js';
import { checkQuota } from './check-quota.js';
import { createContainer } from './create-container.js';
import { findMedia } from './find-media.js';
import type { EffectDeps } from './effect-deps.js';
import { publishContainer } from './publish-container.js';
import { readStatus } from './read-status.js';
import { verifyPublish } from './verify-publish.js';
import { wait } from './wait.js';

/** The machines with their effects provided: ready to run. */
export interface ProvidedMachines {
  readonly container: typeof containerMachine;
  readonly carousel: typeof carouselMachine;
  readonly post: typeof postMachine;
  readonly stories: typeof storiesMachine;
}

/**
 * Provides every string-keyed actor of every machine, innermost first (a
 * parent's `.provide()` does not reach into the machines it invokes).
 */
export function provideEffects(deps: EffectDeps): ProvidedMachines {
  const waitActor = wait(deps);
  const container = containerMachine.provide({
    actors: { createContainer: createContainer(deps), readStatus: readStatus(deps), wait: waitActor },
  });
  const carousel = carouselMachine.provide({ actors: { container } });
  const post = postMachine.provide({
    actors: { container, carousel, publishContainer: publishContainer(deps), verifyPublish: verifyPublish(deps), checkQuota: checkQuota(deps), findMedia: findMedia(deps), wait: waitActor },
  });
  const stories = storiesMachine.provide({ actors: { story: post } });
  return { container, carousel, post, stories };
}
