// Temp directories of jobs, named after the process that owns them, so that a worker
// starting on a machine can remove what a killed worker left behind (a half-written
// out.mp4 can be gigabytes) without touching the live work of other workers sharing the
// same temp dir: `cutline-<kind>-<pid>-<start>-<random>`, where <start> is the process's
// start time in clock ticks since boot (/proc/<pid>/stat field 22), so a pid reused by a
// later process does not pass for the owner. Where /proc is missing, <start> is 0 and only
// the pid is checked (a reused pid then keeps a stale dir; it is never removed wrongly).

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** `ffmpeg`: the watchdog wrapper of ffmpeg/watchdog.ts, kept for the process's life. */
export type WorkKind = 'render' | 'ingest' | 'ffmpeg';

const NAME = /^cutline-(render|ingest|ffmpeg)-(\d+)-(\d+)-[A-Za-z0-9]{6}$/;

/** Start time (field 22 of /proc/<pid>/stat) and state, or null when unreadable. */
async function procStat(pid: number | 'self'): Promise<{ start: string; state: string } | null> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command name) is in parentheses and may hold spaces: split after it.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    const start = fields[19];
    return state && start ? { start, state } : null;
  } catch {
    return null;
  }
}

let ownTag: Promise<string> | null = null;

/** `<pid>-<start>` of this process. */
function ownerTag(): Promise<string> {
  return (ownTag ??= procStat('self').then((stat) => `${process.pid}-${stat?.start ?? '0'}`));
}

/** A fresh temp directory for one job, owned by this process. */
export async function makeWorkDir({ parent, kind }: { parent: string; kind: WorkKind }): Promise<string> {
  return mkdtemp(join(parent, `cutline-${kind}-${await ownerTag()}-`));
}

async function ownerAlive(pid: number, start: string): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (start === '0') return true;
  const stat = await procStat(pid);
  if (stat === null) return true;
  return stat.start === start && stat.state !== 'Z';
}

/**
 * Removes the job directories under `parent` whose owner process is gone; returns their
 * names (of the given kinds only, if `kinds`). Directories of live processes (this one
 * included) and anything not named by makeWorkDir are left alone.
 */
export async function removeStaleWorkDirs({ parent, kinds }: { parent: string; kinds?: readonly WorkKind[] }): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = NAME.exec(name);
    if (!match || (kinds && !kinds.includes(match[1] as WorkKind))) continue;
    if (await ownerAlive(Number(match[2]), match[3] ?? '0')) continue;
    await rm(join(parent, name), { recursive: true, force: true }).then(
      () => removed.push(name),
      () => {},
    );
  }
  return removed;
}
