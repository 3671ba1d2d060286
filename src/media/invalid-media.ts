import { InvalidPostSpec } from '../spec/invalid-post-spec.js';
import type { SpecIssue } from '../spec/issues.js';

/**
 * Thrown when igflow's media checks find media Instagram would refuse (a
 * PNG, an image over 8 MB, a feed image outside 4:5..1.91:1, a video whose
 * moov atom is behind its data, or too long, short or large for its kind),
 * before the post is stored and before any Graph request. An
 * {@link InvalidPostSpec}: every problem with its path (`items[1].imageUrl`),
 * exit 2 from the CLI.
 */
export class InvalidMedia extends InvalidPostSpec {
  override readonly name: string = 'InvalidMedia';
  override readonly remedy = 'Fix or replace every listed media and submit the post again; nothing was stored or sent to Instagram. (To skip the checks: "checkMedia": false in the spec, or --no-media-checks.)';

  constructor(issues: readonly SpecIssue[]) {
    super(issues);
    this.message = this.message.replace(/^invalid post spec/, 'media Instagram would refuse');
  }
}
