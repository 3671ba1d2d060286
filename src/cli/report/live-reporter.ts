import spinners from 'cli-spinners';
import { createLogUpdate } from 'log-update';
import type { EngineEvent } from '../../engine/engine-events.js';
import { byteBar } from './byte-bar.js';
import { describe, postLabel, type Reporter } from './reporter.js';

interface PostLine {
  label: string;
  kind: string;
  status: string;
  done: 'published' | 'failed' | 'cancelled' | 'interrupted' | undefined;
  /** Carousel items and stories, by their 1-based number. */
  parts: Map<string, string>;
}

/**
 * Live progress on a terminal: one line per post and one per carousel item
 * or story, redrawn in place with log-update (a spinner while working).
 */
export function liveReporter(out: NodeJS.WriteStream = process.stdout): Reporter {
  const render = createLogUpdate(out);
  const posts = new Map<string, PostLine>();
  const { frames, interval } = spinners.dots;
  let frame = 0;
  const draw = () => {
    const lines: string[] = [];
    for (const post of posts.values()) {
      const mark = post.done === 'published' ? '✓' : post.done === 'failed' ? '✗' : post.done === 'cancelled' ? '⊘' : post.done === 'interrupted' ? '…' : frames[frame % frames.length];
      lines.push(`${mark} ${post.label.padEnd(16)} ${post.kind.padEnd(9)} ${post.status}`);
      for (const [part, state] of post.parts) lines.push(`    ${part.padEnd(10)} ${state}`);
    }
    render(lines.join('\n'));
  };
  const timer = setInterval(() => {
    frame += 1;
    draw();
  }, interval);
  timer.unref();

  const line = (event: EngineEvent): PostLine => {
    let post = posts.get(event.postId);
    if (post === undefined) {
      post = { label: postLabel(event.postId, null), kind: 'post', status: '', done: undefined, parts: new Map() };
      posts.set(event.postId, post);
    }
    return post;
  };

  return {
    event(event) {
      const post = line(event);
      if (event.type === 'accepted' || event.type === 'resumed') post.label = postLabel(event.postId, event.key);
      if (event.type === 'accepted') post.kind = event.kind;
      if (event.type === 'upload') {
        // a bar per upload: on the item's or story's line, else on the post's
        const part = event.item !== null ? `item ${event.item + 1}` : event.story !== null ? `story ${event.story + 1}` : undefined;
        if (part === undefined) post.status = byteBar(event.sent, event.total);
        else post.parts.set(part, byteBar(event.sent, event.total));
      } else if (event.type === 'container' && (event.item !== null || event.story !== null)) {
        const part = event.item !== null ? `item ${event.item + 1}` : `story ${(event.story ?? 0) + 1}`;
        post.parts.set(part, `${event.state}${event.containerId ? ` (${event.containerId})` : ''}`);
      } else {
        post.status = describe(event);
      }
      if (event.type === 'published' || event.type === 'failed' || event.type === 'cancelled' || event.type === 'interrupted') post.done = event.type;
      draw();
    },
    message(text) {
      render.clear();
      out.write(`${text}\n`);
      draw();
    },
    close() {
      clearInterval(timer);
      draw();
      render.done();
    },
  };
}
