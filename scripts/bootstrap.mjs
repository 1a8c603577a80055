#!/usr/bin/env node
// The entry of `npm start`, `npm test`, `npm run dev` and `npm run migrate` on a fresh
// clone. It must run on any Node >= 20 (the machine's own), so it is plain JavaScript
// with no dependencies: it installs node_modules when they are missing or older than a
// package.json / the lockfile, then hands over to `npm run <task>:run`, which runs on the
// Node 24 that the `node` devDependency puts first on the scripts' PATH.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const [task, ...args] = process.argv.slice(2);
const tasks = ['start', 'dev', 'test', 'migrate'];
if (!tasks.includes(task ?? '')) {
  console.error(`bootstrap: unknown task ${JSON.stringify(task)}; expected one of ${tasks.join(', ')}`);
  process.exit(2);
}

const marker = join(root, 'node_modules', '.package-lock.json');

function manifests() {
  const files = [join(root, 'package.json'), join(root, 'package-lock.json')];
  for (const group of ['apps', 'packages']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) files.push(join(dir, name, 'package.json'));
  }
  return files.filter((f) => existsSync(f));
}

function staleReason() {
  if (!existsSync(marker)) return 'node_modules is missing';
  if (!existsSync(join(root, 'node_modules', '.bin', 'node'))) return 'the pinned Node 24 is not installed';
  const installed = statSync(marker).mtimeMs;
  const changed = manifests().find((f) => statSync(f).mtimeMs > installed);
  return changed ? `${changed.slice(root.length + 1)} changed since the last install` : null;
}

const reason = staleReason();
if (reason) {
  console.log(`cutline: installing dependencies (${reason})…`);
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (install.status !== 0) {
    console.error('cutline: npm install failed; see the output above');
    process.exit(install.status ?? 1);
  }
  // npm leaves the marker untouched when nothing changed; touch it so we don't reinstall.
  const now = new Date();
  utimesSync(marker, now, now);
}

const child = spawn('npm', ['run', '--silent', `${task}:run`, '--', ...args], { cwd: root, stdio: 'inherit' });
// Ctrl-C reaches every process of the terminal's group; we only wait for the child.
// A signal sent to this process alone is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
