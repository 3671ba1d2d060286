import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Store } from '../src/adapters/store.js';
import { baselineDir } from './settings.js';

/** The `fileStore` of the checkout `BENCH_BASELINE` names; undefined when none is named. */
export async function baselineFileStore(): Promise<((dir: string) => Store) | undefined> {
  if (baselineDir === undefined) return undefined;
  const module = (await import(pathToFileURL(join(baselineDir, 'src/adapters/file-store.ts')).href)) as { fileStore: (dir: string) => Store };
  return module.fileStore;
}
