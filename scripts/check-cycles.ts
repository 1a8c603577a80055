/**
 * Fails when a source file can reach itself through relative imports, or a workspace
 * depends on itself through other workspaces: import cycles make module initialisation
 * order depend on who imports first, and we keep none. Also fails when an app imports
 * another app (in its sources, tests or benchmarks, or as a dependency): apps meet only in
 * packages (docs/ARCHITECTURE.md).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const workspaces = ['apps/web', 'apps/sync', 'apps/render', 'packages/timeline', 'packages/shared'];
const skip = new Set(['node_modules', 'build', 'dist', '.svelte-kit', '.turbo']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (skip.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|svelte)$/.test(name) ? [path] : [];
  });
}

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const match of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)) {
    const spec = match[1] ?? match[2];
    if (spec && !/^import\s+type\b/.test(match[0]) && !/^export\s+type\b/.test(match[0])) found.push(resolve(dirname(file), spec));
  }
  return found;
}

function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'visiting') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

const fileGraph = new Map<string, string[]>();
for (const workspace of [...workspaces, 'scripts']) {
  for (const file of sourceFiles(join(root, workspace))) fileGraph.set(file, relativeImports(file));
}
const packageGraph = new Map<string, string[]>();
for (const workspace of workspaces) {
  const manifest = JSON.parse(readFileSync(join(root, workspace, 'package.json'), 'utf8')) as {
    name: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const deps = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies }).filter((d) => d.startsWith('@cutline/'));
  packageGraph.set(manifest.name, deps);
}

const apps = workspaces.filter((w) => w.startsWith('apps/'));
const appNames = new Map(apps.map((w) => [w, (JSON.parse(readFileSync(join(root, w, 'package.json'), 'utf8')) as { name: string }).name]));
const crossing: string[] = [];
for (const app of apps) {
  const own = appNames.get(app);
  const others = [...appNames.values()].filter((name) => name !== own);
  for (const dep of packageGraph.get(own ?? '') ?? []) if (others.includes(dep)) crossing.push(`${app}/package.json depends on ${dep}`);
  for (const file of sourceFiles(join(root, app))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from\s+|import\(\s*)['"](@cutline\/(?:web|sync|render))(?:\/[^'"]*)?['"]/g)) {
      if (match[1] !== own) crossing.push(`${relative(root, file)} imports ${match[1]}`);
    }
    for (const target of relativeImports(file)) {
      const into = apps.find((other) => other !== app && target.startsWith(join(root, other) + '/'));
      if (into) crossing.push(`${relative(root, file)} imports ${relative(root, target)}`);
    }
  }
}

let failed = false;
if (crossing.length > 0) {
  failed = true;
  console.error(`an app imports another app (move the contract into packages/):\n  ${crossing.join('\n  ')}`);
}
for (const [what, graph] of [['file', fileGraph], ['workspace', packageGraph]] as const) {
  const cycle = findCycle(graph);
  if (cycle) {
    failed = true;
    console.error(`import cycle between ${what}s: ${cycle.map((f) => relative(root, f)).join(' → ')}`);
  }
}
if (failed) process.exit(1);
console.log(`no import cycles and no app imports another (${fileGraph.size} files, ${packageGraph.size} workspaces)`);
