import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigError } from './errors.ts';

/** The repository root, found from this file: packages/shared/src/config.ts. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const port = z.coerce.number({ error: 'must be a port number' }).int().min(1, 'must be a port number').max(65535, 'must be a port number (at most 65535)');
const positiveInt = z.coerce.number({ error: 'must be a number' }).int('must be a whole number').positive('must be positive');
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\/[^\s]+$/.test(v), 'must be a postgres:// or postgresql:// URL');
const redisUrl = z.string().refine((v) => /^rediss?:\/\/[^\s]+$/.test(v), 'must be a redis:// or rediss:// URL');
const httpUrl = z.string().refine((v) => /^https?:\/\/[^\s]+$/.test(v), 'must be an http:// or https:// URL');
const wsUrl = z.string().refine((v) => /^wss?:\/\/[^\s]+$/.test(v), 'must be a ws:// or wss:// URL');

/**
 * Every environment variable Cutline reads, in one place. Defaults are for one machine
 * (`npm start`); docker-compose.yml and the README table show what changes in a
 * deployment. Empty strings count as unset so `FOO= npm start` behaves like no FOO.
 */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CUTLINE_HOME: z.string().default(join(repoRoot, '.cutline')),

  DATABASE_URL: postgresUrl.optional(),
  PGPORT: port.default(5433),
  REDIS_URL: redisUrl.optional(),

  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(5173),
  PUBLIC_URL: httpUrl.optional(),
  SYNC_PORT: port.default(1234),
  SYNC_PUBLIC_URL: wsUrl.optional(),
  SYNC_INTERNAL_URL: httpUrl.optional(),
  SYNC_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SYNC_TRANSPORT: z.enum(['auto', 'uws', 'node']).default('auto'),
  SYNC_RELAY: z.enum(['stored', 'immediate']).default('stored'),
  // Sync limits (apps/sync/SPEC.md SY20–SY26). Frames and documents in bytes.
  SYNC_MAX_FRAME_BYTES: positiveInt.default(8 * 1024 ** 2),
  SYNC_MAX_DOCUMENT_BYTES: positiveInt.default(64 * 1024 ** 2),
  SYNC_MAX_MESSAGES_PER_SECOND: positiveInt.default(200),
  SYNC_MAX_DOCUMENTS_PER_CONNECTION: positiveInt.default(20),
  SYNC_MAX_CONNECTIONS_PER_IP: positiveInt.default(500),
  // Before a WebSocket has authenticated a document (SY27): how long it may stay, how
  // many bytes of frames it may send (Hocuspocus queues them until authentication), and
  // how many sockets one address may have waiting for their first answer.
  SYNC_AUTH_TIMEOUT_MS: positiveInt.default(5_000),
  SYNC_MAX_UNAUTHENTICATED_BYTES: positiveInt.default(32 * 1024),
  SYNC_MAX_UNAUTHENTICATED_PER_IP: positiveInt.default(8),
  RENDER_PORT: port.default(1235),
  RENDER_CONCURRENCY: positiveInt.default(1),

  STORAGE_DIR: z.string().optional(),
  S3_ENDPOINT: httpUrl.optional(),
  S3_BUCKET: z.string().min(1).optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  S3_FORCE_PATH_STYLE: bool.default(true),

  MAX_UPLOAD_BYTES: positiveInt.default(2 * 1024 ** 3),
  // A request body that sends nothing for this long is answered 408 and its connection closed.
  BODY_IDLE_TIMEOUT_MS: positiveInt.default(30_000),
  FFMPEG_PATH: z.string().optional(),
  FFPROBE_PATH: z.string().optional(),

});

type Parsed = z.infer<typeof schema>;

export type Config = Omit<Parsed, 'PUBLIC_URL' | 'SYNC_PUBLIC_URL' | 'SYNC_INTERNAL_URL'> & {
  /** Defaults follow the ports: `http://localhost:<PORT>`. */
  PUBLIC_URL: string;
  /** Defaults to `ws://localhost:<SYNC_PORT>`. */
  SYNC_PUBLIC_URL: string;
  /** Defaults to `http://127.0.0.1:<SYNC_PORT>`. */
  SYNC_INTERNAL_URL: string;
  /** `STORAGE_DIR`, defaulting to `<CUTLINE_HOME>/storage`. */
  storageDir: string;
};

export type Env = Record<string, string | undefined>;

/** Parses the environment; throws a ConfigError whose one-line message names the variable. */
export function loadConfig(env: Env = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    const value = present[name];
    const shown = value === undefined ? '' : ` (got ${JSON.stringify(redact(name, value))})`;
    throw new ConfigError(`Invalid configuration: ${name} ${issue?.message ?? 'is invalid'}${shown}`);
  }
  const config = parsed.data;
  if (config.S3_BUCKET && !config.S3_ENDPOINT) {
    throw new ConfigError('Invalid configuration: S3_ENDPOINT is required when S3_BUCKET is set');
  }
  return {
    ...config,
    PUBLIC_URL: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
    SYNC_PUBLIC_URL: config.SYNC_PUBLIC_URL ?? `ws://localhost:${config.SYNC_PORT}`,
    SYNC_INTERNAL_URL: config.SYNC_INTERNAL_URL ?? `http://127.0.0.1:${config.SYNC_PORT}`,
    storageDir: config.STORAGE_DIR ?? join(config.CUTLINE_HOME, 'storage'),
  };
}

function redact(name: string, value: string): string {
  if (/SECRET|KEY|PASSWORD/.test(name)) return '***';
  // Hide a password inside a URL, keep the rest so the mistake is visible.
  return value.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

/** The database URL, which every app needs once the stack has resolved it. */
export function requireDatabaseUrl(config: Config): string {
  if (!config.DATABASE_URL) {
    throw new ConfigError(
      'Invalid configuration: DATABASE_URL is required (npm start sets it to the embedded PostgreSQL)',
    );
  }
  return config.DATABASE_URL;
}
