/**
 * docker-compose.yml describes the multi-machine deployment; no Docker engine runs here, so
 * we check what a client can: that Compose accepts the file and that it has every part.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCommand, haproxyConfig } from './lib/cluster.ts';

const root = join(import.meta.dirname, '..');
const env = { ...process.env, SYNC_SECRET: 'x'.repeat(40) };

/** `docker compose` (v2 plugin) when installed, else `docker-compose`, else null. */
function findCompose(): string[] | null {
  for (const command of [['docker', 'compose'], ['docker-compose']]) {
    const [bin = '', ...rest] = command;
    const result = spawnSync(bin, [...rest, 'version'], { encoding: 'utf8' });
    if (result.status === 0 && /compose/i.test(result.stdout)) return command;
  }
  return null;
}

const composeCommand = findCompose();

function compose(args: string[], extraEnv: NodeJS.ProcessEnv = env): { status: number | null; stdout: string; stderr: string } | null {
  if (!composeCommand) return null;
  const [bin = '', ...rest] = composeCommand;
  const result = spawnSync(bin, [...rest, ...args], { cwd: root, env: extraEnv, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const available = composeCommand !== null;

describe.skipIf(!available && !process.env.CI)('docker-compose.yml', () => {
  it('is accepted by Compose', () => {
    const result = compose(['config', '-q']);
    expect(result, 'CI installs a Compose client').not.toBeNull();
    expect(result?.stderr).toBe('');
    expect(result?.status).toBe(0);
  });

  it('runs postgres, redis, two sync replicas behind the balancer, web and render, each with a health check', () => {
    const result = compose(['config']);
    const text = result?.stdout ?? '';
    for (const service of ['postgres', 'redis', 'sync', 'balancer', 'web', 'render', 'migrate']) {
      expect(text).toMatch(new RegExp(`^  ${service}:$`, 'm'));
    }
    expect(text).toMatch(/image: postgres:18/);
    expect(text).toMatch(/replicas: 2/);
    expect(text.match(/healthcheck:/g)?.length).toBeGreaterThanOrEqual(5);
    expect(text).toMatch(/deploy\/haproxy\.cfg/);
    expect(text).toMatch(/SYNC_INTERNAL_URL: http:\/\/balancer:1234/);
  });

  it('refuses to start without a SYNC_SECRET', () => {
    const result = compose(['config', '-q'], { ...process.env, SYNC_SECRET: '' });
    expect(result?.status).not.toBe(0);
    expect(`${result?.stdout}${result?.stderr}`).toMatch(/SYNC_SECRET/);
  });
});

const haproxy = findCommand('haproxy');

describe.skipIf(!haproxy && !process.env.CI)('deploy/haproxy.cfg', () => {
  const file = join(root, 'deploy/haproxy.cfg');

  it('is accepted by HAProxy', () => {
    expect(haproxy, 'CI installs haproxy (.ci/run)').not.toBeNull();
    const result = spawnSync(haproxy ?? 'haproxy', ['-c', '-f', file], { encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`).toMatch(/Configuration file is valid/);
    expect(result.status).toBe(0);
  });

  it('balances and checks the sync nodes as the load-balancer tests do (WebSocket tunnels, /healthz, retries elsewhere)', () => {
    const deployed = readFileSync(file, 'utf8');
    const tested = haproxyConfig({ port: 1, nodes: [{ name: 'node1', port: 2 }] });
    const directives = [
      'timeout tunnel 1h',
      'balance leastconn',
      'option httpchk',
      'http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host sync',
      'http-check expect status 200',
      'retries 3',
      'option redispatch 1',
    ];
    for (const directive of directives) {
      expect(tested, 'scripts/lib/cluster.ts').toContain(directive);
      expect(deployed, 'deploy/haproxy.cfg').toContain(directive);
    }
  });
});
