/**
 * The large phase of `npm run bench:collab` (bench/collab.bench.ts): the editors run as
 * protocol-level clients (bench/collab-large-worker.ts) in worker threads, and this
 * module merges what they saw. Latency of an edit (or playhead) = from its send until the
 * LAST other editor has the frame carrying it.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CrowdClient, CrowdSetup, FromWorker, ToWorker } from './collab-large-worker.ts';
import { latencyFigures, round } from './latency.ts';

export type CrowdOptions = {
  documentName: string;
  clients: CrowdClient[];
  fps: number;
  editsPerSecond: number;
  presenceHz: number;
  seconds: number;
  /** Threads the clients are split across (a loaded generator would show up as latency). */
  threads: number;
  /** Sync node processes whose CPU is reported alongside (Linux /proc; none elsewhere). */
  serverPids: number[];
};

export type CrowdFigures = {
  p95EditToRemoteMs: number;
  p50EditToRemoteMs: number;
  p95PresenceMs: number;
  p50PresenceMs: number;
  edits: number;
  presenceUpdates: number;
  incomplete: number;
  clientThreads: number;
  clientProcessCpuShare: number;
  clientEventLoopDelayP99Ms: number;
  /** Per sync node, cores busy over the same window as clientProcessCpuShare. */
  syncNodeCpuShares: number[];
  /** Cores busy on the whole machine then: well above the three above, something else ran. */
  machineCpuBusyCores: number;
  machineLoadAverage1m: number;
};

/** CPU seconds the whole machine has been busy so far (all but idle and iowait in /proc/stat), or NaN. */
function machineBusySeconds(): number {
  try {
    const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'latin1').split('\n')[0]?.trim().split(/\s+/).map(Number) ?? [];
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / 100;
  } catch {
    return Number.NaN;
  }
}

/** CPU seconds a process has used so far (utime + stime of /proc/<pid>/stat), or NaN. */
function cpuSeconds(pid: number): number {
  try {
    // The command name (field 2) may hold spaces; the fields after its ')' are fixed.
    const fields = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // CLK_TCK: 100 on Linux
  } catch {
    return Number.NaN;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class Thread {
  readonly worker: Worker;
  private readonly waiting: Array<{ type: FromWorker['type']; resolve: (m: FromWorker) => void }> = [];
  private failure: Error | null = null;

  constructor(setup: CrowdSetup) {
    this.worker = new Worker(new URL('./collab-large-worker.ts', import.meta.url), { workerData: setup });
    this.worker.on('message', (m: FromWorker) => {
      const i = this.waiting.findIndex((w) => w.type === m.type);
      if (i >= 0) this.waiting.splice(i, 1)[0]?.resolve(m);
    });
    this.worker.on('error', (error) => (this.failure = error));
  }

  /** Resolves with the next message of `type`; rejects if the thread failed or exited. */
  next<T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.waiting.push({ type, resolve: (m) => resolve(m as Extract<FromWorker, { type: T }>) });
      this.worker.once('exit', () => reject(this.failure ?? new Error('a load-generator thread exited early')));
    });
  }

  send(message: ToWorker): void {
    this.worker.postMessage(message);
  }
}

export async function runCrowd(options: CrowdOptions): Promise<CrowdFigures> {
  const { clients, threads: threadCount } = options;
  const threads = Array.from({ length: threadCount }, (_, t) => {
    const share = clients.filter((_, i) => i % threadCount === t);
    return new Thread({ documentName: options.documentName, clients: share, fps: options.fps, editsPerSecond: options.editsPerSecond, presenceHz: options.presenceHz });
  });
  try {
    await Promise.all(threads.map((t) => t.next('connected')));
    const cpuBefore = process.cpuUsage();
    const serversBefore = options.serverPids.map(cpuSeconds);
    const machineBefore = machineBusySeconds();
    const wallBefore = performance.now();
    const startedAt = performance.timeOrigin + performance.now();
    const stopAt = startedAt + (options.seconds + 2) * 1000;
    for (const t of threads) t.send({ type: 'start', warmupUntil: startedAt + 2000, stopAt });
    await sleep(stopAt - startedAt + 200);
    // CPU over the sending window only: the drain below is mostly idle.
    const cpu = process.cpuUsage(cpuBefore);
    const wall = performance.now() - wallBefore;
    const machineBusy = (machineBusySeconds() - machineBefore) / (wall / 1000);
    const serverShares = options.serverPids.map((pid, i) => Math.round(((cpuSeconds(pid) - (serversBefore[i] ?? 0)) / (wall / 1000)) * 100) / 100);
    // Drain: a backlog should show as latency, not as edits left out. Until nothing new
    // arrives for a second, at most 20 s.
    let last = -1;
    for (let waited = 0; waited < 20_000; waited += 1000) {
      const counts = await Promise.all(threads.map((t) => (t.send({ type: 'count' }), t.next('count'))));
      const total = counts.reduce((sum, c) => sum + c.receipts, 0);
      if (total === last) break;
      last = total;
      await sleep(1000);
    }
    const reports = await Promise.all(threads.map((t) => (t.send({ type: 'report' }), t.next('report'))));

    const received = new Map<string, Map<number, number>>();
    for (const r of reports) {
      for (const [key, receiver, at] of r.received) {
        let m = received.get(key);
        if (!m) received.set(key, (m = new Map()));
        m.set(receiver, at);
      }
    }
    const edit: number[] = [];
    const presence: number[] = [];
    let incomplete = 0;
    for (const r of reports) {
      for (const [key, at] of r.sent) {
        const got = received.get(key);
        // A playhead overtaken by the next one before it arrived everywhere is counted here.
        if (!got || got.size < clients.length - 1) {
          incomplete += 1;
          continue;
        }
        const latest = Math.max(...got.values()) - at;
        (key.startsWith('edit:') ? edit : presence).push(latest);
      }
    }
    return {
      ...latencyFigures({ edit, presence }),
      incomplete,
      clientThreads: threadCount,
      // Of one core: 1 = one core busy with the load generator all along.
      clientProcessCpuShare: Math.round(((cpu.user + cpu.system) / 1000 / wall) * 100) / 100,
      clientEventLoopDelayP99Ms: round(Math.max(...reports.map((r) => r.loopDelayP99Ms))),
      syncNodeCpuShares: serverShares.filter((share) => Number.isFinite(share)),
      machineCpuBusyCores: Math.round(machineBusy * 100) / 100,
      machineLoadAverage1m: round(loadavg()[0] ?? 0),
    };
  } finally {
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }
}
