import { DamagedPostError } from '../adapters/store-errors.js';
import type { Listing, Store, StoreProblem } from '../adapters/store.js';
import { quoted } from '../adapters/printable.js';
import { ExitCode } from './exit-codes.js';

/** A store whose listings remember the posts they could not read; see {@link rememberUnreadable}. */
export interface UnreadableLog {
  /** The store to hand to the engine. */
  readonly store: Store;
  /** The problems its listings reported so far, one per post (the latest). */
  problems(): readonly StoreProblem[];
}

/**
 * Wraps a store (one of igflow's own: a plain object of functions) so that
 * the problems its listings report are remembered: the
 * engine turns them into `problem` events and carries on, and a command
 * needs them afterwards to exit non-zero over posts it left unread.
 */
export function rememberUnreadable(store: Store): UnreadableLog {
  const seen = new Map<string, StoreProblem>();
  const note = async (listing: Promise<Listing>): Promise<Listing> => {
    const result = await listing;
    for (const problem of result.problems) seen.set(problem.postId, problem);
    return result;
  };
  return {
    store: { ...store, posts: { ...store.posts, list: (query) => note(store.posts.list(query)) } },
    problems: () => [...seen.values()],
  };
}

/** A post in a human message: `"key" (postId)` when its key is known, else its id. */
export function problemName(problem: StoreProblem): string {
  return problem.key === undefined ? problem.postId : `${quoted(problem.key)} (${problem.postId})`;
}

/** One line about an unreadable post: the store's message (which describes the damage without quoting it), naming the key when the message does not. */
export function problemLine(problem: StoreProblem): string {
  const named = problem.key === undefined || problem.error instanceof DamagedPostError;
  return named ? problem.error.message : `${problem.error.message} (post ${problemName(problem)})`;
}

/** The closing lines of a command that left unreadable posts: how many, which (by key), and the remedy. */
export function unreadableSummary(problems: readonly StoreProblem[]): readonly [string, string] {
  const one = problems.length === 1;
  const them = one ? 'it' : 'them';
  return [
    `igflow: ${one ? '1 post' : `${problems.length} posts`} could not be read and ${one ? 'was' : 'were'} left in the store: ${problems.map(problemName).join(', ')}`,
    `  igflow leaves ${them} alone: restore ${them} from a backup, or delete ${them} from the store (a file store keeps each post in posts/<postId>.json) to give ${them} up.`,
  ];
}

/** A command's exit code once unreadable posts are counted: 1 (failed) when there are any, else `code`. */
export function exitCodeWithUnreadable(code: ExitCode, problems: readonly StoreProblem[]): ExitCode {
  return problems.length > 0 ? ExitCode.failed : code;
}
