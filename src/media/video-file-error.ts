import type { ErrorClass } from '../graph/error-class.js';
import { IgflowError } from '../graph/igflow-error.js';

/**
 * A post's local video file is not the one it was accepted with: gone,
 * unreadable, or changed (another size or other bytes). Nothing is
 * uploaded from it: a wrong upload would publish something the user never
 * asked for. The post fails for good; the file can be published again as
 * a new post.
 */
export class VideoFileError extends IgflowError {
  readonly name = 'VideoFileError';
  readonly errorClass: ErrorClass = 'invalid-input';

  constructor(problem: string) {
    super(`the video file cannot be uploaded: ${problem}`, {
      step: 'upload',
      remedy: 'Put the file back as it was when the post was accepted, or publish the new file as a new post (with a new id).',
    });
  }
}
