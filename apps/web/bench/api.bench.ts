/**
 * `npm run bench:api`: the production web server on a fresh embedded PostgreSQL, a
 * project whose timeline holds 300 clips, and autocannon at a fixed 200 requests/s
 * against GET /projects/:id/timeline and GET /projects. The baseline in the same run is
 * GET /healthz (routing plus one `select 1`), which shows what the API itself adds; on a
 * shared machine it also shows how noisy the run was. Each target gets 2 s of unmeasured
 * warm-up at the same rate first.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import * as Y from 'yjs';
import { createTestDatabase, freePort, startTestPostgres } from '@cutline/shared/testing';
import { migrateWorkerSchema } from '@cutline/shared/worker-schema';
import { applyCommands, createTimelineDoc, originFor, type TimelineCommand } from '@cutline/timeline';

const RATE = 200;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const webDir = join(import.meta.dirname, '..');

type Figures = { rps: number; p50Ms: number; p99Ms: number; errors: number };

async function load(url: string, headers: Record<string, string>): Promise<Figures> {
  // Warm-up, not measured: JIT and connection pools, and the timeline's first load (the
  // steady state is what a p99 target is about; a cold start is a different question).
  await autocannon({ url, headers, connections: 20, overallRate: RATE, duration: 2 });
  const result = await autocannon({ url, headers, connections: 20, overallRate: RATE, duration: SECONDS });
  return {
    rps: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

const pg = await startTestPostgres();
const db = await createTestDatabase({ serverUrl: pg.url });
await migrateWorkerSchema({ databaseUrl: db.url });
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
// BENCH_WEB_ARGS passes node flags to the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
const webArgs = (process.env.BENCH_WEB_ARGS ?? '').split(' ').filter(Boolean);
const web = spawn(process.execPath, [...webArgs, 'build/index.js'], {
  cwd: webDir,
  env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', ORIGIN: base, PUBLIC_URL: base, LOG_LEVEL: 'warn', NODE_ENV: 'production' },
  stdio: ['ignore', 'inherit', 'inherit'],
});
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      // starting
    }
    if (i > 300) throw new Error('web did not start');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const signup = await fetch(`${base}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.com', password: 'benchmark password', name: 'Bench' }),
  });
  const { token, user } = (await signup.json()) as { token: string; user: { id: string } };
  const headers = { authorization: `Bearer ${token}` };
  for (let i = 0; i < 20; i++) {
    await fetch(`${base}/api/v1/projects`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ name: `Project ${i}` }) });
  }
  const { projects } = (await (await fetch(`${base}/api/v1/projects`, { headers })).json()) as { projects: { id: string }[] };
  const projectId = projects[0]?.id ?? '';

  // A realistic stored timeline: 3 tracks × 100 clips, as sync would have stored it.
  const doc = createTimelineDoc();
  const commands: TimelineCommand[] = [0, 1, 2].map(() => ({ type: 'addTrack', kind: 'video' }) as TimelineCommand);
  applyCommands(doc, commands, originFor('api', user.id));
  const trackIds = [...doc.getMap('tracks').keys()];
  for (const [t, trackId] of trackIds.entries()) {
    const clips: TimelineCommand[] = Array.from({ length: 100 }, (_, i) => ({ type: 'addColorClip', trackId, color: `#${(t * 40 + i).toString(16).padStart(2, '0')}8080`, start: i * 2, duration: 2 }) as TimelineCommand);
    applyCommands(doc, clips, originFor('api', user.id));
  }
  await db.sql`insert into doc_updates (doc_name, update) values (${`project/${projectId}/timeline`}, ${Y.encodeStateAsUpdate(doc)})`;

  const timeline = await load(`${base}/api/v1/projects/${projectId}/timeline`, headers);
  const list = await load(`${base}/api/v1/projects`, headers);
  const baseline = await load(`${base}/healthz`, {});
  const worst = [timeline, list].reduce((a, b) => (b.p99Ms > a.p99Ms ? b : a));
  console.log(`GET /projects/:id/timeline ${JSON.stringify(timeline)}`);
  console.log(`GET /projects              ${JSON.stringify(list)}`);
  console.log(`GET /healthz (baseline)    ${JSON.stringify(baseline)}`);
  console.log(
    `RESULT ${JSON.stringify({
      rps: Math.min(timeline.rps, list.rps),
      p50Ms: Math.max(timeline.p50Ms, list.p50Ms),
      p99Ms: worst.p99Ms,
      targetRate: RATE,
      timeline,
      projects: list,
      baselineHealthzP99Ms: baseline.p99Ms,
    })}`,
  );
} finally {
  web.kill('SIGTERM');
  await new Promise((resolve) => web.once('exit', resolve));
  await db.drop();
  await pg.stop();
}
