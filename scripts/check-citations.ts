/**
 * Fails when a source file or doc cites a file that is not in the repo: a `*.md` document
 * or a source path in a comment or a doc (docs/ARCHITECTURE.md: "Comments and docs cite
 * files that exist"). A citation with a slash must resolve from the repo root, from the
 * citing file's folder, or from its workspace (or its `src/`), or be the end of some path in
 * the repo; a bare file name must be the name of some file in the repo.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const roots = ['apps', 'packages', 'scripts', 'docs', 'README.md'];
const skip = new Set(['node_modules', 'build', 'dist', '.svelte-kit', '.turbo', '.cutline']);
const scanned = /\.(ts|svelte|md|js|mjs)$/;
const cited = /(?<![\w@$./+-])((?:[\w+-]+\/)*[\w+-]+(?:\.[\w-]+)*\.(?:md|ts|svelte|sql|mjs))(?![\w/-])/g;

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => (skip.has(name) ? [] : files(join(path, name))));
}

const all = roots.flatMap((r) => files(join(root, r)));
const names = new Set(all.map((f) => basename(f)));

/** The workspace folder a file belongs to (apps/x, packages/x), or the repo root. */
function workspaceOf(file: string): string {
  const [group, name] = relative(root, file).split('/');
  return (group === 'apps' || group === 'packages') && name ? join(root, group, name) : root;
}

/** Text that can hold a citation: comments of code, all of a doc. */
function citable(file: string, text: string): string {
  if (file.endsWith('.md')) return text;
  return [...text.matchAll(/\/\/[^\n]*|\/\*[\s\S]*?\*\/|<!--[\s\S]*?-->/g)].map((m) => m[0]).join('\n');
}

const missing: string[] = [];
for (const file of all.filter((f) => scanned.test(f))) {
  const text = readFileSync(file, 'utf8');
  for (const match of citable(file, text).matchAll(cited)) {
    const path = match[1]!;
    const exists = path.includes('/')
      ? [root, dirname(file), workspaceOf(file), join(workspaceOf(file), 'src')].some((base) => existsSync(join(base, path))) ||
        all.some((f) => f.endsWith(`/${path}`))
      : names.has(path);
    if (!exists) missing.push(`${relative(root, file)}: cites ${path}, which is not in the repo`);
  }
}

if (missing.length > 0) {
  console.error([...new Set(missing)].join('\n'));
  process.exit(1);
}
console.log(`every cited file exists (${all.length} files read)`);
