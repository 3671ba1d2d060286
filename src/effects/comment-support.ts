import { defer } from 'rxjs';

/** Whether a listed comment is the account's own first comment: the same text (trimmed), by the media's owner. */
export const isOwnComment = (comment: { readonly text: string | undefined; readonly username: string | undefined }, owner: string, message: string): boolean =>
  comment.username === owner && (comment.text ?? '').trim() === message.trim();

/** For the effects that need it: an observable that errors at once (a ready client without the comment methods). */
export const unsupported = (what: string) => defer(() => Promise.reject(new Error(`this Graph client cannot ${what}`)));
