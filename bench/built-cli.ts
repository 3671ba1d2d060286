import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist', 'cli', 'main.js');

/** The newest modification time of a file under `dir`, ms. */
async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

/**
 * The path of the built CLI, `dist/cli/main.js`, after `npm run build` when
 * it is missing or older than a file under src/: the workers are what users
 * run, the compiled JavaScript, not tsx.
 */
export async function builtCli(): Promise<string> {
  const built = await stat(CLI).then((s) => s.mtimeMs, () => 0);
  if (built >= (await newestMtime(join(ROOT, 'src')))) return CLI;
  console.log('dist/ is missing or older than src/: npm run build');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`npm run build failed (exit ${code})`);
  return CLI;
}
