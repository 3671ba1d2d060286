import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Citations in code and docs point at headings of the project's own docs:
 * an anchor of `docs/graph-api.md` or `docs/design.md` (written without the
 * `docs/` prefix from inside docs/). A renamed heading, or a citation of
 * the internal notes that predate docs/graph-api.md, fails here by name.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const scanned = ['src', 'test', 'bench', 'scripts', 'docs', 'README.md'];
const textFile = /\.(?:ts|mts|js|mjs|md|json)$/;
/** The internal notes' file name, split so that this file does not mention it. */
const internalNotes = ['graph-api', 'facts'].join('-');
const citation = /(?:docs\/)?\b(graph-api|design)\.md#([A-Za-z0-9_-]+)/g;

function filesUnder(path: string): string[] {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules') return [];
    const child = join(path, entry.name);
    if (entry.isDirectory()) return filesUnder(child);
    return textFile.test(entry.name) ? [child] : [];
  });
}

/** GitHub's heading slug: lowercase, punctuation dropped, each space a hyphen; repeats get -1, -2… */
function headingSlugs(markdown: string): Set<string> {
  const slugs = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading?.[1]) continue;
    const text = heading[1].replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const base = text.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    slugs.add(count === 0 ? base : `${base}-${count}`);
  }
  return slugs;
}

const docs = {
  'graph-api': headingSlugs(readFileSync(join(root, 'docs/graph-api.md'), 'utf8')),
  design: headingSlugs(readFileSync(join(root, 'docs/design.md'), 'utf8')),
};
const files = scanned.flatMap(filesUnder).map((path) => ({ path: relative(root, join(root, path)), text: readFileSync(join(root, path), 'utf8') }));

/** Every line of the scanned files matching `test`, as `path:line: text`. */
function linesWhere(test: (line: string) => boolean): string[] {
  return files.flatMap(({ path, text }) =>
    text.split('\n').flatMap((line, i) => (test(line) ? [`${path}:${i + 1}: ${line.trim()}`] : [])),
  );
}

describe('citations', () => {
  it('computes GitHub slugs', () => {
    expect([...headingSlugs('## REELS, not VIDEO\n### Hosts, versions and auth\n```\n# not a heading\n```\n## Hosts, versions and auth')]).toEqual([
      'reels-not-video',
      'hosts-versions-and-auth',
      'hosts-versions-and-auth-1',
    ]);
  });

  it('finds citations to check', () => {
    expect(linesWhere((line) => line.includes('docs/graph-api.md#')).length).toBeGreaterThan(50);
    expect(linesWhere((line) => line.includes('docs/design.md#')).length).toBeGreaterThan(0);
  });

  it('cites only headings that exist', () => {
    const broken = files.flatMap(({ path, text }) =>
      text.split('\n').flatMap((line, i) =>
        [...line.matchAll(citation)]
          .filter(([, doc, anchor]) => !docs[doc as keyof typeof docs].has(anchor ?? ''))
          .map(([cited]) => `${path}:${i + 1}: ${cited}`),
      ),
    );
    expect(broken).toEqual([]);
  });

  it('never cites the internal notes', () => {
    expect(linesWhere((line) => line.includes(internalNotes))).toEqual([]);
  });
});
