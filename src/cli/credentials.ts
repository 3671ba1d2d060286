import { CliError, ExitCode } from './exit-codes.js';

/** The account the CLI publishes for, from the environment. */
export interface Credentials {
  readonly accessToken: string;
  readonly igUserId: string;
}

/** Reads IG_ACCESS_TOKEN and IG_USER_ID; a missing one is a usage error (exit 2) that never echoes the token. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): Credentials {
  const accessToken = env.IG_ACCESS_TOKEN?.trim() ?? '';
  const igUserId = env.IG_USER_ID?.trim() ?? '';
  const missing = [accessToken === '' ? 'IG_ACCESS_TOKEN' : undefined, igUserId === '' ? 'IG_USER_ID' : undefined].filter(Boolean);
  if (missing.length > 0) {
    throw new CliError(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`, ExitCode.invalid, 'Export the Instagram access token and user id, e.g. `export IG_USER_ID=178414…`.');
  }
  return { accessToken, igUserId };
}
