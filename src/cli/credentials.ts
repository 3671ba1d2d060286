import { CliError, ExitCode } from './exit-codes.js';

/** The account the CLI publishes for, from the environment. */
export interface Credentials {
  readonly accessToken: string;
  readonly igUserId: string;
}

/** An Instagram user id: digits only (the `user_id` Meta hands out, e.g. 17841400000000001). */
const NUMERIC_ID = /^[0-9]+$/;

/**
 * Reads IG_ACCESS_TOKEN and IG_USER_ID. A missing one, or an IG_USER_ID
 * that is not all digits (a username, say, which Instagram would answer
 * with errors until igflow gave up), is a usage error (exit 2) found before
 * any request. Neither value is ever echoed: IG_USER_ID may hold the token
 * by mistake.
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): Credentials {
  const accessToken = env.IG_ACCESS_TOKEN?.trim() ?? '';
  const igUserId = env.IG_USER_ID?.trim() ?? '';
  const missing = [accessToken === '' ? 'IG_ACCESS_TOKEN' : undefined, igUserId === '' ? 'IG_USER_ID' : undefined].filter(Boolean);
  if (missing.length > 0) {
    throw new CliError(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`, ExitCode.invalid, 'Export the Instagram access token and user id, e.g. `export IG_USER_ID=178414…`.');
  }
  if (!NUMERIC_ID.test(igUserId)) {
    throw new CliError(
      `IG_USER_ID must be the Instagram account's numeric id (digits only); the value set is not (it is not shown, in case it is a secret); nothing was sent`,
      ExitCode.invalid,
      'Set IG_USER_ID to the numeric user id of the account (e.g. `export IG_USER_ID=17841400000000001`), not its username or the token.',
    );
  }
  return { accessToken, igUserId };
}
