import { createCarouselMachine } from '../machines/carousel-machine.js';
import { createContainerMachine } from '../machines/container-machine.js';
import { createPostMachine } from '../machines/post-machine.js';
import { createStoriesMachine } from '../machines/stories-machine.js';
import { defaultTiming } from '../machines/timing.js';
import { checkQuota } from './check-quota.js';
import { createContainer } from './create-container.js';
import type { EffectDeps } from './effect-deps.js';
import { findComment } from './find-comment.js';
import { findMedia } from './find-media.js';
import { postComment } from './post-comment.js';
import { createCommentMachine } from '../machines/comment-machine.js';
import { publishContainer } from './publish-container.js';
import { readStatus } from './read-status.js';
import { uploadVideo } from './upload-video.js';
import { wait } from './wait.js';

/** The machines on one timing, with their effects provided: ready to run. */
export interface ProvidedMachines {
  readonly container: ReturnType<typeof createContainerMachine>;
  readonly carousel: ReturnType<typeof createCarouselMachine>;
  readonly post: ReturnType<typeof createPostMachine>;
  readonly stories: ReturnType<typeof createStoriesMachine>;
}

/**
 * Builds every machine on the deps' timing and provides every string-keyed
 * actor, innermost first (a parent's `.provide()` does not reach into the
 * machines it invokes).
 */
export function provideEffects(deps: EffectDeps): ProvidedMachines {
  const timing = deps.timing ?? defaultTiming;
  const waitActor = wait(deps);
  const readStatusActor = readStatus(deps);
  const container = createContainerMachine(timing).provide({ actors: { createContainer: createContainer(deps), uploadVideo: uploadVideo(deps), readStatus: readStatusActor, wait: waitActor } });
  const carousel = createCarouselMachine(timing).provide({ actors: { container } });
  const comment = createCommentMachine(timing).provide({ actors: { postComment: postComment(deps), findComment: findComment(deps), wait: waitActor } });
  const post = createPostMachine(timing).provide({
    actors: { container, carousel, comment, publishContainer: publishContainer(deps), readStatus: readStatusActor, checkQuota: checkQuota(deps), findMedia: findMedia(deps), wait: waitActor },
  });
  const stories = createStoriesMachine(timing).provide({ actors: { story: post } });
  return { container, carousel, post, stories };
}
