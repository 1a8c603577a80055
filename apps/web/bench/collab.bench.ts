/**
 * `npm run bench:collab`: many people on one timeline, on the real stack (embedded
 * PostgreSQL, sync, the production web build; tests/e2e/stack.ts).
 *
 * The 20-editor phase measures real clients, on purpose: what a person sees.
 * - N editors (BENCH_EDITORS, default 20), each a real user with the editor role, a real
 *   sync ticket and its own @hocuspocus/provider on its own WebSocket, in this process.
 *   Each moves its own clip (a Timeline command through `applyCommand` with its own
 *   origin, on its own Y.Doc) about 3 times a second, and moves its playhead through
 *   awareness at 10 Hz.
 * - One real Chromium page (the owner's editor, `?debug` for the session handle) watches:
 *   it records when each move reaches the snapshot the UI draws from, and when each
 *   playhead reaches its awareness.
 * - p95EditToRemoteMs: for each edit, from the local apply until the LAST other client
 *   (every other editor and the browser) has it; the 95th percentile over all edits.
 *   p95PresenceMs: the same for playhead updates (awareness set → seen by all others).
 * - baseline: the same measurement with 2 editors (and the browser), earlier in the run.
 *
 * The large phase measures the servers (BENCH_LARGE_EDITORS, default 200; 0 skips it):
 * that many editors on another project, through HAProxy (scripts/lib/cluster.ts) in
 * front of two sync nodes sharing a private Redis — the stack's node and a second one —
 * as in docker-compose.yml (without haproxy installed, editors connect to the two nodes
 * alternately; `via` says which). Each editor moves its own clip every 5 s
 * (BENCH_LARGE_EDITS_PER_SECOND, 0.2) and its playhead every 2 s
 * (BENCH_LARGE_PRESENCE_HZ, 0.5): 40 edits and 100 playheads a second, each delivered to
 * 199 others — 28,000 deliveries a second. Simulated with 200 providers and Y.Docs in one
 * process, every edit was applied by 199 client docs and the figure measured that
 * process (p95 564 ms with the generator's event loop 278 ms late). So these editors are
 * protocol-level clients (bench/collab-large-worker.ts): a real ticket, a real first sync
 * as writers, real Yjs updates from their own small docs and y-protocols awareness, but
 * receiving is a scan of the frame bytes for a per-edit marker, nothing decoded. They run
 * in BENCH_LARGE_THREADS (2) worker threads. The figures say how busy they were, each
 * sync node and the whole machine (machineCpuBusyCores well above the sum of the others
 * means something outside the bench ran meanwhile).
 * Times are wall-clock (Date.now() here, timeOrigin + now() in the threads): one machine.
 * Prints one `RESULT {…}` line. Target: p95 < 100 ms for 20 editors, < 150 ms for 200.
 */
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';
import * as Y from 'yjs';
import { applyCommand, originFor, snapshot } from '@cutline/timeline';
import { freePort } from '@cutline/shared/testing';
import { findCommand, startBalancer, startRedis, type Balancer } from '../../../scripts/lib/cluster.ts';
import { startApp, stopChild, waitHealthy, type App } from '../../../scripts/lib/processes.ts';
import { launch } from '../tests/e2e/browser.ts';
import { runCrowd } from './collab-large.ts';
import { latencyFigures } from './latency.ts';
import type { CrowdClient } from './collab-large-worker.ts';
import { startStack } from '../tests/e2e/stack.ts';

const EDITORS = Number(process.env.BENCH_EDITORS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const EDITS_PER_SECOND = 3;
const PRESENCE_HZ = 10;
const FPS = 30;
const PASSWORD = 'correct horse battery';
const LARGE_EDITORS = Number(process.env.BENCH_LARGE_EDITORS ?? 200);
const LARGE_EDITS_PER_SECOND = Math.max(0.01, Number(process.env.BENCH_LARGE_EDITS_PER_SECOND ?? 0.2));
const LARGE_PRESENCE_HZ = Math.max(0.01, Number(process.env.BENCH_LARGE_PRESENCE_HZ ?? 0.5));
const LARGE_THREADS = Math.max(1, Number(process.env.BENCH_LARGE_THREADS ?? 2));
/** Clips per track in the large project (200 editors would exceed the 200-track limit, TL42). */
const CLIPS_PER_TRACK = 20;

type User = { token: string; email: string; id: string };
type Editor = { index: number; user: User; doc: Y.Doc; provider: HocuspocusProvider; socket: HocuspocusProviderWebsocket; clipId: string; trackId: string };
/** Who changed what: `kind:editor:seq`, e.g. `edit:3:17`. */
type Key = string;


/** Runs `task` over `items`, `concurrency` at a time, keeping the order of results. */
async function inBatches<T, R>(items: T[], concurrency: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += concurrency) {
    results.push(...(await Promise.all(items.slice(i, i + concurrency).map((item, j) => task(item, i + j)))));
  }
  return results;
}

/** The sync nodes: this process's children running in apps/sync (Linux /proc; none elsewhere). */
function syncNodePids(): number[] {
  const syncDir = realpathSync(new URL('../../sync/', import.meta.url).pathname);
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .filter((pid) => {
        try {
          const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1]?.split(' ')[1]);
          return ppid === process.pid && realpathSync(`/proc/${pid}/cwd`) === syncDir;
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}

async function main(): Promise<void> {
  const redis = LARGE_EDITORS > 0 ? await startRedis() : null;
  // The simulated editors stand for people at many addresses but all connect from
  // loopback (and, in the large phase, through one balancer): sync's per-address limits
  // (SY24, SY27) are raised as in docker-compose.yml, where the balancer holds them.
  const perAddress = { SYNC_MAX_CONNECTIONS_PER_IP: '100000', SYNC_MAX_UNAUTHENTICATED_PER_IP: '100000' };
  const stack = await startStack({ extraEnv: { ...perAddress, ...(redis ? { REDIS_URL: redis.url } : {}) } });
  const browser = await launch();
  const editors: Editor[] = [];
  const cleanup: Array<() => Promise<void> | void> = [];
  try {
    const call = async <T>(token: string, method: string, path: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${stack.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };
    const signup = async (name: string): Promise<User> => {
      const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${Date.now()}@example.com`;
      const response = await fetch(`${stack.url}/api/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD, name }) });
      if (!response.ok) throw new Error(`signup ${name}: ${response.status} ${await response.text()}`);
      const { token, user } = (await response.json()) as { token: string; user: { id: string } };
      return { token, email, id: user.id };
    };

    const owner = await signup('Owner');
    const { project } = await call<{ project: { id: string } }>(owner.token, 'POST', '/projects', { name: 'Collab bench' });
    const users: User[] = [];
    for (let i = 0; i < EDITORS; i++) {
      const user = await signup(`Editor ${i + 1}`);
      await call(owner.token, 'POST', `/projects/${project.id}/members`, { email: user.email, role: 'editor' });
      users.push(user);
    }
    // One track and one clip per editor: everyone edits at once without overlapping.
    const setup = await call<{ results: Record<string, string>[] }>(owner.token, 'POST', `/projects/${project.id}/timeline/commands`, {
      commands: [
        { type: 'setSettings', fps: { num: FPS, den: 1 } },
        ...users.flatMap((_, i) => [
          { type: 'addTrack', kind: 'video' },
          { type: 'addColorClip', trackId: `$${1 + 2 * i}.trackId`, color: '#3366ff', start: 0, duration: 1 },
        ]),
      ],
    });
    const ids = users.map((_, i) => ({ trackId: setup.results[1 + 2 * i]?.trackId ?? '', clipId: setup.results[2 + 2 * i]?.clipId ?? '' }));

    // The browser: the owner's editor, recording what reaches it.
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    await context.addCookies([{ name: 'cutline_session', value: owner.token, url: stack.url }]);
    const page = await context.newPage();
    await page.goto(`${stack.url}/projects/${project.id}?debug`);
    await page.locator('[data-testid="editor"][data-ready="true"]').waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => Boolean(window.__cutline?.session.awareness));
    await page.evaluate(() => {
      const session = window.__cutline?.session;
      const awareness = session?.awareness;
      if (!session || !awareness) throw new Error('no session handle (?debug)');
      const seen: [string, number][] = [];
      const starts = new Map<string, number>();
      (window as unknown as { __benchSeen: typeof seen }).__benchSeen = seen;
      // Registered after the session's own handler: its snapshot is already the new one.
      session.timelineDoc.on('afterTransaction', () => {
        const now = Date.now();
        for (const clip of session.snapshot.clips) {
          if (starts.get(clip.id) === clip.start) continue;
          starts.set(clip.id, clip.start);
          seen.push([`clip:${clip.id}:${Math.round(clip.start * 30)}`, now]);
        }
      });
      awareness.on('change', ({ added, updated }: { added: number[]; updated: number[] }) => {
        const now = Date.now();
        for (const id of [...added, ...updated]) {
          const playhead = (awareness.getStates().get(id) as { playhead?: number } | undefined)?.playhead;
          if (typeof playhead === 'number') seen.push([`playhead:${playhead}`, now]);
        }
      });
    });

    // Receipts: key → receiver index → time. Sends: key → time.
    const sent = new Map<Key, number>();
    const received = new Map<Key, Map<number, number>>();
    const receive = (key: Key, receiver: number, at: number) => {
      let m = received.get(key);
      if (!m) received.set(key, (m = new Map()));
      if (!m.has(receiver)) m.set(receiver, at);
    };
    const clipOwner = new Map(ids.map((x, i) => [x.clipId, i]));
    /** Playhead µs encodes editor and sequence: unique per update. */
    const playheadKey = (us: number): Key => `presence:${us % 1000}:${Math.floor(us / 1000)}`;

    const connect = async (index: number): Promise<Editor> => {
      const user = users[index] as User;
      const { trackId, clipId } = ids[index] as { trackId: string; clipId: string };
      const ticket = await call<{ token: string; url: string }>(user.token, 'GET', `/projects/${project.id}/sync-ticket`);
      const doc = new Y.Doc();
      const socket = new HocuspocusProviderWebsocket({ url: ticket.url });
      const provider = new HocuspocusProvider({ websocketProvider: socket, name: `project/${project.id}/timeline`, document: doc, token: ticket.token });
      provider.attach();
      await new Promise<void>((resolve) => provider.on('synced', ({ state }: { state: boolean }) => state && resolve()));
      const starts = new Map<string, number>();
      doc.on('afterTransaction', (tr: Y.Transaction) => {
        if (tr.local) return;
        const now = Date.now();
        for (const clip of snapshot(doc).clips) {
          if (starts.get(clip.id) === clip.start) continue;
          starts.set(clip.id, clip.start);
          const from = clipOwner.get(clip.id);
          if (from !== undefined && from !== index) receive(`edit:${from}:${Math.round(clip.start * FPS)}`, index, now);
        }
      });
      provider.awareness?.on('change', ({ added, updated }: { added: number[]; updated: number[] }) => {
        const now = Date.now();
        for (const id of [...added, ...updated]) {
          if (id === doc.clientID) continue;
          const playhead = (provider.awareness?.getStates().get(id) as { playhead?: number } | undefined)?.playhead;
          if (typeof playhead === 'number') receive(playheadKey(playhead), index, now);
        }
      });
      return { index, user, doc, provider, socket, clipId, trackId };
    };

    /** One measured phase with the first `count` editors; returns the two p95s. */
    const phase = async (count: number) => {
      while (editors.length < count) editors.push(await connect(editors.length));
      const active = editors.slice(0, count);
      await page.evaluate(() => (window as unknown as { __benchSeen: unknown[] }).__benchSeen.splice(0));
      sent.clear();
      received.clear();
      const timers: ReturnType<typeof setInterval>[] = [];
      const seq = new Map<number, number>();
      const warmupUntil = Date.now() + 1000;
      for (const editor of active) {
        // Staggered, so the edits of twenty people do not arrive in lockstep.
        const jitter = Math.random() * 300;
        let edits = 0;
        let moves = 0;
        const editTimer = setTimeout(() => {
          timers.push(
            setInterval(() => {
              edits += 1;
              // A new frame position each time (0…299, cycling): a unique key per edit.
              const frame = (edits % 299) + 1;
              const key = `edit:${editor.index}:${frame}`;
              const at = Date.now();
              applyCommand(editor.doc, { type: 'moveClip', clipId: editor.clipId, start: frame / FPS }, originFor('user', editor.user.id));
              if (at >= warmupUntil) sent.set(key, at);
              received.delete(key);
            }, 1000 / EDITS_PER_SECOND),
          );
        }, jitter);
        const moveTimer = setTimeout(() => {
          timers.push(
            setInterval(() => {
              moves += 1;
              seq.set(editor.index, moves);
              const us = moves * 1000 + editor.index;
              const at = Date.now();
              editor.provider.setAwarenessField('playhead', us);
              if (at >= warmupUntil) sent.set(playheadKey(us), at);
            }, 1000 / PRESENCE_HZ),
          );
        }, jitter);
        timers.push(editTimer as unknown as ReturnType<typeof setInterval>, moveTimer as unknown as ReturnType<typeof setInterval>);
      }
      await new Promise((resolve) => setTimeout(resolve, (SECONDS + 1) * 1000));
      for (const t of timers) clearInterval(t);
      // Let the last messages land, then collect what the browser saw.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const browserIndex = -1;
      const seen = await page.evaluate(() => (window as unknown as { __benchSeen: [string, number][] }).__benchSeen.splice(0));
      for (const [key, at] of seen) {
        if (key.startsWith('clip:')) {
          const [, clipId, frame] = key.split(':');
          const from = clipOwner.get(clipId ?? '');
          if (from !== undefined) receive(`edit:${from}:${frame}`, browserIndex, at);
        } else if (key.startsWith('playhead:')) receive(playheadKey(Number(key.slice('playhead:'.length))), browserIndex, at);
      }
      const edit: number[] = [];
      const presence: number[] = [];
      let incomplete = 0;
      for (const [key, at] of sent) {
        const from = Number(key.split(':')[1]);
        const want = [browserIndex, ...active.map((e) => e.index).filter((i) => i !== from)];
        const got = received.get(key);
        // A playhead overtaken by the next one before it arrived, or a move superseded
        // (frames cycle) is not "lost": it is left out, and counted.
        if (!got || want.some((i) => !got.has(i))) {
          incomplete += 1;
          continue;
        }
        const latest = Math.max(...want.map((i) => (got.get(i) ?? at) - at));
        (key.startsWith('edit:') ? edit : presence).push(latest);
      }
      return {
        editors: count,
        ...latencyFigures({ edit, presence }),
        incomplete,
      };
    };

    const baseline = await phase(Math.min(2, EDITORS));
    const full = await phase(EDITORS);
    const { editors: _n, ...baselineFigures } = baseline;
    // The page has measured; left open, it would only add noise to the large phase.
    await context.close();
    for (const e of editors) {
      e.provider.destroy();
      e.socket.destroy();
    }
    editors.length = 0;

    /** The large phase: LARGE_EDITORS on another project, across two sync nodes. */
    const largePhase = async () => {
      const syncPort = Number(stack.env.SYNC_PORT);
      const secondPort = await freePort();
      const second: App = {
        name: 'sync2',
        command: process.execPath,
        args: ['src/main.ts'],
        cwd: new URL('../../sync/', import.meta.url).pathname,
        env: { ...stack.env, SYNC_PORT: String(secondPort) },
        healthUrl: `http://127.0.0.1:${secondPort}/healthz`,
      };
      const secondChild = startApp(second);
      cleanup.push(() => stopChild(secondChild));
      await waitHealthy({ app: second, child: secondChild, timeoutMs: 60_000 });
      const haproxy = findCommand('haproxy');
      let balancer: Balancer | null = null;
      if (haproxy) {
        balancer = await startBalancer({ command: haproxy, nodes: [{ name: 'sync1', port: syncPort }, { name: 'sync2', port: secondPort }] });
        cleanup.push(() => balancer?.stop());
      }
      const urls = balancer ? [balancer.url] : [`ws://127.0.0.1:${syncPort}`, `ws://127.0.0.1:${secondPort}`];

      const { project: large } = await call<{ project: { id: string } }>(owner.token, 'POST', '/projects', { name: 'Collab bench, large' });
      while (users.length < LARGE_EDITORS) {
        users.push(...(await inBatches(Array.from({ length: Math.min(8, LARGE_EDITORS - users.length) }, (_, i) => users.length + i), 8, (n) => signup(`Editor ${n + 1}`))));
      }
      const people = users.slice(0, LARGE_EDITORS);
      await inBatches(people, 8, (user) => call(owner.token, 'POST', `/projects/${large.id}/members`, { email: user.email, role: 'editor' }));
      const tracks = Math.ceil(LARGE_EDITORS / CLIPS_PER_TRACK);
      // Each clip has a 20 s slot on its track and moves within its first 10 s: no overlaps.
      const layout = await call<{ results: Record<string, string>[] }>(owner.token, 'POST', `/projects/${large.id}/timeline/commands`, {
        commands: [
          { type: 'setSettings', fps: { num: FPS, den: 1 } },
          ...Array.from({ length: tracks }, () => ({ type: 'addTrack', kind: 'video' })),
          ...people.map((_, i) => ({
            type: 'addColorClip',
            trackId: `$${1 + Math.floor(i / CLIPS_PER_TRACK)}.trackId`,
            color: '#33aa66',
            start: (i % CLIPS_PER_TRACK) * 20,
            duration: 1,
          })),
        ],
      });
      const clipIds = people.map((_, i) => layout.results[1 + tracks + i]?.clipId ?? '');
      const clients = await inBatches(people, 8, async (user, index): Promise<CrowdClient> => {
        const ticket = await call<{ token: string }>(user.token, 'GET', `/projects/${large.id}/sync-ticket`);
        return {
          index,
          userId: user.id,
          token: ticket.token,
          clipId: clipIds[index] ?? '',
          slotFrame: (index % CLIPS_PER_TRACK) * 20 * FPS,
          url: urls[index % urls.length] ?? '',
        };
      });
      const figures = await runCrowd({
        documentName: `project/${large.id}/timeline`,
        clients,
        fps: FPS,
        editsPerSecond: LARGE_EDITS_PER_SECOND,
        presenceHz: LARGE_PRESENCE_HZ,
        seconds: SECONDS,
        threads: LARGE_THREADS,
        serverPids: syncNodePids(),
      });
      return {
        editors: LARGE_EDITORS,
        syncNodes: 2,
        via: balancer ? 'haproxy' : 'alternate nodes',
        ...figures,
        editsPerSecondPerEditor: LARGE_EDITS_PER_SECOND,
        presenceHz: LARGE_PRESENCE_HZ,
        observers: 'every other editor (protocol-level clients)',
        targetP95Ms: 150,
      };
    };
    const large = LARGE_EDITORS > 0 ? await largePhase() : undefined;

    console.log(
      `RESULT ${JSON.stringify({ ...full, seconds: SECONDS, editsPerSecondPerEditor: EDITS_PER_SECOND, presenceHz: PRESENCE_HZ, observers: 'every other editor + 1 Chromium page', baseline: { editors: baseline.editors, ...baselineFigures }, targetP95Ms: 100, ...(large ? { large } : {}) })}`,
    );
  } finally {
    for (const e of editors) {
      e.provider.destroy();
      e.socket.destroy();
    }
    for (const step of cleanup.reverse()) await step();
    await browser.close();
    await stack.stop();
    await redis?.stop();
  }
}

await main();
