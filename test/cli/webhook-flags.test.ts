import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../src/cli/args.js';
import { webhookFromEnv } from '../../src/cli/webhook-secret.js';

const SECRET = { IGFLOW_WEBHOOK_SECRET: 'whsec-0123456789abcdef-test' };
const hook = ['work', '--webhook', 'http://127.0.0.1:9/hook'];

describe('igflow work --webhook flags', () => {
  it('--webhook-retention sets how long delivered outcomes stay in the outbox; without it the engine default applies', () => {
    expect(webhookFromEnv(parseCommandLine([...hook, '--webhook-retention', '86400000']).options, SECRET)).toMatchObject({ retentionMs: 86_400_000 });
    expect(webhookFromEnv(parseCommandLine(hook).options, SECRET)).not.toHaveProperty('retentionMs');
  });

  it('--webhook-retention under a minute is a usage error (exit 2)', () => {
    expect(() => parseCommandLine([...hook, '--webhook-retention', '500'])).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/--webhook-retention must be at least 60000 ms/) as unknown }));
  });
});
