import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh empty directory under the system temp dir, and the function that removes it. */
export async function tempDir(label: string): Promise<{ readonly dir: string; readonly remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `igflow-bench-${label}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
