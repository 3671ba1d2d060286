import type { ErrorJson } from '../graph/igflow-error.js';
import type { Login } from '../spec/post-spec.js';
import { validatePostSpec } from '../spec/validate.js';

/**
 * The error a machine ends with when its stored spec does not validate (a
 * spec written by another version, say), or is valid but of a kind the
 * machine does not run (`why`). Every problem is listed with its path.
 */
export function invalidSpecError(spec: unknown, login: Login, why: string): ErrorJson {
  const result = validatePostSpec(spec, { login });
  const issues = result.ok ? [why] : result.issues.map((i) => `${i.path}: ${i.message}`);
  return {
    name: 'InvalidPostSpec',
    errorClass: 'invalid-input',
    retryable: false,
    message: `invalid post spec: ${issues.join('; ')}`,
    remedy: 'Fix the post spec and publish again.',
  };
}
